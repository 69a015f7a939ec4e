package dev.sealpost.relay;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sealpost.protocol.AccountName;
import dev.sealpost.protocol.Json;
import dev.sealpost.protocol.KeyBundle;
import dev.sealpost.protocol.LoginRequest;
import dev.sealpost.protocol.RegisterRequest;
import dev.sealpost.relay.store.MetadataStore;
import dev.sealpost.testkit.FuzzBugs;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.time.Clock;

/**
 * Fuzz target for JSON request bodies: the same bytes read as each of the records the relay
 * accepts ({@link Json#mapper()}, as {@code HttpRoutes.body} does), then handed to what checks
 * them: registration (name and password rules), login's name check, and publishing a key bundle
 * (PEM certificates parsed and re-encoded). A Jackson IOException is a 400; so is an
 * {@link ApiError}. Seeds: JsonBodiesFuzzTestInputs/bodies/.
 */
class JsonBodiesFuzzTest {
    private static final ObjectMapper JSON = Json.mapper();
    /** Stores nothing: every account exists (so registration stops before Argon2id), writes are dropped. */
    private static final MetadataStore STORE = (MetadataStore) Proxy.newProxyInstance(
            MetadataStore.class.getClassLoader(), new Class<?>[] {MetadataStore.class},
            (proxy, method, args) -> method.getReturnType() == boolean.class ? Boolean.TRUE : null);
    private static final AccountsManager ACCOUNTS = new AccountsManager(STORE, null, null, null, null, Clock.systemUTC());
    private static final KeyDirectory KEYS = new KeyDirectory(STORE, Clock.systemUTC(), null);

    @FuzzTest
    void bodies(byte[] body) {
        RegisterRequest register = read(body, RegisterRequest.class);
        if (register != null) {
            try {
                ACCOUNTS.register(register);
            } catch (ApiError e) {
                FuzzBugs.rethrowOurs(e);
            }
        }
        LoginRequest login = read(body, LoginRequest.class);
        if (login != null) {
            AccountName.isValid(login.name());
        }
        KeyBundle keys = read(body, KeyBundle.class);
        if (keys != null) {
            try {
                KEYS.publish(keys.name() == null ? "alice" : keys.name(), keys);
            } catch (ApiError e) {
                FuzzBugs.rethrowOurs(e);
            }
        }
    }

    private static <T> T read(byte[] body, Class<T> type) {
        try {
            return JSON.readValue(body, type);
        } catch (IOException e) {
            FuzzBugs.rethrowOurs(e);
            return null;
        }
    }
}
