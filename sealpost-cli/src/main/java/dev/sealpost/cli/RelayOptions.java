package dev.sealpost.cli;

import dev.sealpost.client.RelayProfile;
import dev.sealpost.crypto.Fingerprint;
import java.net.URI;
import picocli.CommandLine.Option;

/** {@code --relay URL --relay-fingerprint SHA256:...}: which relay, and the certificate it must present. */
final class RelayOptions {
    @Option(names = "--relay", paramLabel = "URL", description = "The relay's https:// URL, as 'sealpost relay' prints it.")
    String url;

    @Option(names = "--relay-fingerprint", paramLabel = "SHA256:...",
            description = "The relay's TLS certificate fingerprint, as 'sealpost relay' prints it; the connection is refused if it differs.")
    String fingerprint;

    /** @return a profile for {@code account} from these options, or null if neither option was given */
    RelayProfile toProfile(String account) {
        if (url == null && fingerprint == null) {
            return null;
        }
        if (url == null || fingerprint == null) {
            throw new Failures.UserException(Failures.USAGE, "give both --relay and --relay-fingerprint");
        }
        URI uri = URI.create(url.strip());
        if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            throw new Failures.UserException(Failures.USAGE, "--relay must be an https:// URL, got " + url);
        }
        return new RelayProfile(uri.toString(), Fingerprint.parse(fingerprint).toString(), account);
    }
}
