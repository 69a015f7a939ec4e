package dev.sealpost.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code sealpost} program: one picocli subcommand per verb.
 *
 * <p>Exit codes: 0 success, 1 error (bad input, I/O), 2 usage, 3 security failure (a message
 * that does not decrypt or verify, a changed key, a relay that is not the pinned one),
 * 4 relay unreachable or refusing, 70 internal error.
 */
@Command(name = "sealpost", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Signed, encrypted messages and images through a relay that sees only ciphertext.")
public final class Main implements Runnable {
    /**
     * The subcommands, in help order. They are registered lazily: picocli builds the model of
     * every registered command by reflection, which cost ~0.3 s per start for all of them, so a
     * run of one command registers only that one (help and unknown names register all).
     */
    private static final List<Class<?>> COMMANDS = List.of(
            InitCommand.class, WhoamiCommand.class, ExportCommand.class, CertCommand.class, CaCommand.class,
            RegisterCommand.class, LoginCommand.class, SessionsCommand.Logout.class, SessionsCommand.class,
            PasswordCommand.class, MfaCommand.class,
            SendCommand.class, InboxCommand.class, ReceiveCommand.class, WatchCommand.class, CompressCommand.class,
            ContactsCommand.class, SealCommand.class, OpenCommand.class,
            UiCommand.class, RelayCommand.class, DemoCommand.class, TrainCommand.class, CommandLine.HelpCommand.class);

    final Ctx ctx;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    Main(Ctx ctx) {
        this.ctx = ctx;
    }

    @Override
    public void run() {
        spec.commandLine().usage(ctx.out());
    }

    /**
     * Runs the program as a process: real environment, standard streams, exit code.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        DeferredDefaultTls.install();
        System.exit(run(out, err, System.getenv(), args));
    }

    /**
     * Runs one command in this JVM, for tests and the demo.
     *
     * @param out  standard output
     * @param err  standard error
     * @param env  the environment ({@code SEALPOST_HOME}, {@code SEALPOST_PASSPHRASE}, ...)
     * @param args the command line
     * @return the exit code
     */
    public static int run(PrintWriter out, PrintWriter err, Map<String, String> env, String... args) {
        for (int i = 0; i < args.length; i++) { // only --config's files: a message text may start with @
            String file = args[i].equals("--config") && i + 1 < args.length ? args[i + 1]
                    : args[i].startsWith("--config=") ? args[i].substring("--config=".length()) : null;
            if (file != null && !java.nio.file.Files.isReadable(java.nio.file.Path.of(file))) {
                err.println("sealpost: cannot read the options file " + file);
                err.flush();
                return Failures.USAGE;
            }
        }
        args = configFiles(args);
        Ctx ctx = new Ctx(out, err, Map.copyOf(env));
        Factory factory = new Factory(ctx);
        CommandLine cl = new CommandLine(new Main(ctx), factory);
        String first = args.length > 0 ? args[0] : "";
        Class<?> only = COMMANDS.stream().filter(c -> !c.equals(CommandLine.HelpCommand.class)
                && c.getAnnotation(Command.class).name().equals(first)).findFirst().orElse(null);
        try {
            for (Class<?> c : only != null ? List.<Class<?>>of(only) : COMMANDS) {
                cl.addSubcommand(factory.create(c));
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot create command: " + e, e);
        }
        cl.setOut(out).setErr(err)
                .setExecutionExceptionHandler(new Failures(ctx))
                .setParameterExceptionHandler(Failures::usage);
        try {
            return cl.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /**
     * {@code --config FILE} (or {@code --config=FILE}) anywhere after the command name is
     * picocli's {@code @FILE}: the options in FILE, one per line, {@code #} comments, stand there.
     *
     * @return {@code args} with each {@code --config FILE} replaced by {@code @FILE}
     */
    static String[] configFiles(String[] args) {
        List<String> out = new java.util.ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                out.add("@" + args[++i]);
            } else if (args[i].startsWith("--config=")) {
                out.add("@" + args[i].substring("--config=".length()));
            } else {
                out.add(args[i]);
            }
        }
        return out.toArray(new String[0]);
    }

    /** Builds commands with the run's context. */
    private record Factory(Ctx ctx) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> cls) throws Exception {
            if (cls == Main.class) {
                return cls.cast(new Main(ctx));
            }
            return CommandLine.defaultFactory().create(cls);
        }
    }

    /** Reports the version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"sealpost " + (v == null ? "(development build)" : v),
                    "Java " + Runtime.version()};
        }
    }
}
