package dev.sealpost.relay;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.io.SelectorManager;
import org.eclipse.jetty.util.IO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At most so many open connections from one client IP address: a connection over the limit is
 * closed as soon as it is accepted, before its TLS handshake (the client sees a reset or an end
 * of stream). Jetty has a total limit ({@code NetworkConnectionLimit}) but none per address.
 * Added to the connector as a bean; Jetty calls it on its acceptor and selector threads.
 */
final class AddressConnectionLimit implements SelectorManager.AcceptListener {
    private static final Logger LOG = LoggerFactory.getLogger(AddressConnectionLimit.class);

    private final int max;
    private final ConcurrentHashMap<SelectableChannel, InetAddress> owners = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<InetAddress, Integer> open = new ConcurrentHashMap<>();

    /** @param max open connections allowed from one address, at least 1 */
    AddressConnectionLimit(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1");
        }
        this.max = max;
    }

    @Override
    public void onAccepting(SelectableChannel channel) {
        InetAddress address = remoteAddress(channel);
        if (address == null) {
            return; // already closed, or not TCP: nothing to count
        }
        owners.put(channel, address);
        int count = open.merge(address, 1, Integer::sum);
        if (count > max) {
            LOG.debug("closing a connection from {}: {} open, limit {}", address.getHostAddress(), count - 1, max);
            IO.close(channel); // Jetty then reports onAcceptFailed, which releases the count
        }
    }

    @Override
    public void onAcceptFailed(SelectableChannel channel, Throwable cause) {
        release(channel);
    }

    @Override
    public void onClosed(SelectableChannel channel) {
        release(channel);
    }

    private void release(SelectableChannel channel) {
        InetAddress address = owners.remove(channel);
        if (address != null) {
            open.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
        }
    }

    private static InetAddress remoteAddress(SelectableChannel channel) {
        if (channel instanceof SocketChannel socket) {
            try {
                if (socket.getRemoteAddress() instanceof InetSocketAddress remote) {
                    return remote.getAddress();
                }
            } catch (IOException closed) {
                return null;
            }
        }
        return null;
    }
}
