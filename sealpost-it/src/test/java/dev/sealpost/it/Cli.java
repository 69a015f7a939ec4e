package dev.sealpost.it;

import dev.sealpost.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Runs the real sealpost command line in this JVM, as one person (their own SEALPOST_HOME). */
final class Cli {
    /** What a run printed and returned. */
    record Result(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    /** One person: a home folder and the secrets they would type. */
    record Person(String name, Path home, Map<String, String> env) {
        static Person at(Path root, String name) {
            Map<String, String> env = new HashMap<>();
            env.put("SEALPOST_HOME", root.resolve(name).toString());
            env.put("SEALPOST_PASSPHRASE", "passphrase of " + name);
            env.put("SEALPOST_PASSWORD", "password of " + name);
            return new Person(name, root.resolve(name), env);
        }

        Person with(String key, String value) {
            Map<String, String> e = new HashMap<>(env);
            e.put(key, value);
            return new Person(name, home, e);
        }

        Result run(String... args) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = Main.run(new PrintWriter(out), new PrintWriter(err), env, args);
            return new Result(code, out.toString(), err.toString());
        }

        Result must(String... args) {
            Result r = run(args);
            if (r.code() != 0) {
                throw new AssertionError("sealpost " + String.join(" ", args) + " failed: " + r);
            }
            return r;
        }
    }

    private Cli() {}
}
