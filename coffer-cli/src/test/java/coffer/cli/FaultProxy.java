package coffer.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP proxy on loopback that makes the network bad on purpose, between clients and a server:
 * latency on every piece forwarded, a bandwidth limit, connections reset after a random number of
 * bytes in either direction (which also truncates bodies mid-way), and stalls. Seeded, so a run's
 * faults can be told apart in its counters.
 */
final class FaultProxy implements AutoCloseable {

  /** How bad the network is. */
  record Faults(
      Duration latency,
      long bytesPerSecond,
      double resetChance,
      int resetAfterMax,
      double stallChance,
      Duration stall) {}

  private final ServerSocket listener;
  private final InetSocketAddress target;
  private final Faults faults;
  private final Random random;
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger resets = new AtomicInteger();
  private final AtomicInteger stalls = new AtomicInteger();
  private volatile boolean closed;

  FaultProxy(int targetPort, Faults faults, long seed) throws IOException {
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.target = new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort);
    this.faults = faults;
    this.random = new Random(seed);
    Thread.ofPlatform().daemon().name("fault-proxy").start(this::accept);
  }

  String url() {
    return "http://127.0.0.1:" + listener.getLocalPort();
  }

  int connections() {
    return connections.get();
  }

  int resets() {
    return resets.get();
  }

  int stalls() {
    return stalls.get();
  }

  private void accept() {
    while (!closed) {
      try {
        Socket client = listener.accept();
        Socket server = new Socket();
        server.connect(target);
        connections.incrementAndGet();
        long budget;
        synchronized (random) {
          budget =
              random.nextDouble() < faults.resetChance()
                  ? 1 + random.nextInt(faults.resetAfterMax())
                  : Long.MAX_VALUE;
        }
        Link link = new Link(client, server, budget);
        Thread.ofPlatform().daemon().start(() -> link.pump(client, server));
        Thread.ofPlatform().daemon().start(() -> link.pump(server, client));
      } catch (IOException e) {
        if (!closed) {
          LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
        }
      }
    }
  }

  /** One proxied connection: both directions share the byte budget after which it is reset. */
  private final class Link {
    private final Socket client;
    private final Socket server;
    private long budget;

    Link(Socket client, Socket server, long budget) {
      this.client = client;
      this.server = server;
      this.budget = budget;
    }

    void pump(Socket from, Socket to) {
      byte[] buffer = new byte[16 * 1024];
      try (InputStream in = from.getInputStream()) {
        OutputStream out = to.getOutputStream();
        for (int n; (n = in.read(buffer)) > 0; ) {
          int allowed = take(n);
          if (allowed < n) {
            out.write(buffer, 0, allowed);
            out.flush();
            reset();
            return;
          }
          delay(n);
          out.write(buffer, 0, n);
          out.flush();
        }
        to.shutdownOutput();
      } catch (IOException e) {
        closeBoth();
      }
    }

    private synchronized int take(int n) {
      if (budget >= n) {
        budget -= n;
        return n;
      }
      int allowed = (int) budget;
      budget = 0;
      return allowed;
    }

    private void delay(int n) {
      long nanos = faults.latency().toNanos();
      if (faults.bytesPerSecond() > 0) {
        nanos += n * 1_000_000_000L / faults.bytesPerSecond();
      }
      boolean stall;
      synchronized (random) {
        stall = random.nextDouble() < faults.stallChance();
      }
      if (stall) {
        stalls.incrementAndGet();
        nanos += faults.stall().toNanos();
      }
      LockSupport.parkNanos(nanos);
    }

    private void reset() {
      resets.incrementAndGet();
      try {
        client.setSoLinger(true, 0); // RST rather than FIN: the peer sees a reset connection
        server.setSoLinger(true, 0);
      } catch (SocketException ignored) {
        // already closed
      }
      closeBoth();
    }

    private void closeBoth() {
      try {
        client.close();
      } catch (IOException ignored) {
        // closing anyway
      }
      try {
        server.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }

  @Override
  public void close() throws IOException {
    closed = true;
    listener.close();
  }
}
