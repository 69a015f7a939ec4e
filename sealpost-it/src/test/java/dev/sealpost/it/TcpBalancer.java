package dev.sealpost.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A load balancer in TCP passthrough, as nginx's {@code stream} module in deploy/: TLS ends at the
 * nodes. Each new connection goes to the current target ({@link #target(int)}), at most
 * {@code bytesPerSecond} each way (0: unlimited), so that an upload lasts long enough to be cut.
 */
final class TcpBalancer implements AutoCloseable {
    private final ServerSocket server;
    private final long bytesPerSecond;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile int target;

    TcpBalancer(int target, long bytesPerSecond) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.target = target;
        this.bytesPerSecond = bytesPerSecond;
        Thread.ofPlatform().daemon().name("balancer-accept").start(this::accept);
    }

    int port() {
        return server.getLocalPort();
    }

    String url() {
        return "https://127.0.0.1:" + port();
    }

    /** New connections go to {@code port} from now on. */
    void target(int port) {
        this.target = port;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket node = new Socket();
                try {
                    node.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), target), 5_000);
                } catch (IOException e) {
                    client.close(); // the node is down: as a balancer with no healthy upstream
                    continue;
                }
                open.add(client);
                open.add(node);
                Thread.ofVirtual().start(() -> pump(client, node));
                Thread.ofVirtual().start(() -> pump(node, client));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[64 * 1024];
        long start = System.nanoTime();
        long moved = 0;
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                out.write(buffer, 0, n);
                moved += n;
                if (bytesPerSecond > 0) {
                    long due = start + moved * 1_000_000_000L / bytesPerSecond;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
            }
        } catch (IOException | InterruptedException e) {
            // one side went away
        } finally {
            close(from);
            close(to);
        }
    }

    private void close(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing
        }
        open.remove(s);
    }

    @Override
    public void close() throws IOException {
        server.close();
        open.forEach(this::close);
    }
}
