package dev.teeflow.cli;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Not PostgreSQL: a loopback endpoint that opens a connection the way a PostgreSQL 15 server does (no TLS,
 * then SCRAM-SHA-256) and refuses it after the client's first SCRAM message, for {@link StartupTraining}
 * only. The training run of the postgres start-up cache has no database to talk to; what a real
 * connection loads first (the JDBC driver's connection and protocol classes, its SCRAM client and the
 * JDK's string preparation) is what that cache is for.
 */
final class TrainingPostgresEndpoint implements AutoCloseable {
    private static final int SSL_REQUEST = 80877103;
    private static final int GSS_REQUEST = 80877104;
    private final ServerSocket server;
    private final Thread acceptor;

    TrainingPostgresEndpoint() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::serve, "training-postgres");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String url() {
        return "postgresql://127.0.0.1:" + server.getLocalPort() + "/training";
    }

    private void serve() {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                greetAndRefuse(new DataInputStream(s.getInputStream()), new DataOutputStream(s.getOutputStream()));
            } catch (IOException e) {
                // closed, or a client that went away: next one
            }
        }
    }

    private static void greetAndRefuse(DataInputStream in, DataOutputStream out) throws IOException {
        while (true) { // an encryption request is answered "N" (not here); then comes the start-up packet
            int length = in.readInt();
            int code = in.readInt();
            in.skipNBytes(length - 8);
            if (code != SSL_REQUEST && code != GSS_REQUEST) {
                break;
            }
            out.writeByte('N');
            out.flush();
        }
        byte[] mechanism = "SCRAM-SHA-256\0\0".getBytes(StandardCharsets.US_ASCII);
        out.writeByte('R');
        out.writeInt(4 + 4 + mechanism.length);
        out.writeInt(10); // AuthenticationSASL
        out.write(mechanism);
        out.flush();
        in.readByte(); // 'p': the client's first SCRAM message
        in.skipNBytes(in.readInt() - 4);
        byte[] fields = "SFATAL\0VFATAL\0C28000\0Mnot a database: teeflow's start-up training\0\0".getBytes(StandardCharsets.US_ASCII);
        out.writeByte('E');
        out.writeInt(4 + fields.length);
        out.write(fields);
        out.flush();
    }

    @Override
    public void close() {
        try {
            server.close();
            acceptor.join(1000);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
