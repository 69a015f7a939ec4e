package dev.sealpost.client;

import dev.sealpost.crypto.Pem;
import dev.sealpost.crypto.PublicIdentity;
import dev.sealpost.protocol.AccountName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/**
 * Recipients of an offline sealed file, as the user names them: an encryption certificate file
 * (PEM or DER), whose subject CN is the name the letter addresses, or a pinned contact.
 */
public final class Recipients {
    private Recipients() {}

    /**
     * @param args     certificate files or contact names, in order
     * @param contacts the user's pinned contacts
     * @return one recipient per distinct name, in order
     * @throws IOException if an argument is neither a readable certificate file nor a pinned
     *                     contact, or a certificate carries no sealpost name
     */
    public static List<Recipient> resolve(List<String> args, Contacts contacts) throws IOException {
        Map<String, Recipient> byName = new LinkedHashMap<>();
        for (String r : args) {
            Path file = Path.of(r);
            Recipient recipient;
            if (Files.isRegularFile(file)) {
                X509Certificate cert = Pem.readCertificate(file);
                recipient = new Recipient(commonName(cert, file), cert);
            } else if (AccountName.isValid(r)) {
                PublicIdentity p = contacts.get(r).orElseThrow(() -> new IOException(
                        "unknown recipient: " + r + " is neither a certificate file nor a pinned contact"));
                recipient = new Recipient(r, p.encryptionCertificate());
            } else {
                throw new IOException("no such certificate file: " + r);
            }
            byName.putIfAbsent(recipient.name(), recipient);
        }
        return new ArrayList<>(byName.values());
    }

    /**
     * @param cert a certificate
     * @param file where it was read from, for the message
     * @return its subject's CN, which must be a valid account name
     * @throws IOException if it has none
     */
    public static String commonName(X509Certificate cert, Path file) throws IOException {
        X500Name subject = X500Name.getInstance(cert.getSubjectX500Principal().getEncoded());
        var rdns = subject.getRDNs(BCStyle.CN);
        String cn = rdns.length == 0 ? "" : IETFUtils.valueToString(rdns[0].getFirst().getValue());
        if (!AccountName.isValid(cn)) {
            throw new IOException(file + ": certificate subject "
                    + cert.getSubjectX500Principal().getName(X500Principal.RFC2253) + " has no sealpost name (CN)");
        }
        return cn;
    }
}
