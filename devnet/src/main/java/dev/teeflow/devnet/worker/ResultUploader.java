package dev.teeflow.devnet.worker;

import java.io.IOException;
import java.nio.file.Path;

/** Stores a result archive and returns its id, served at {@code /ipfs/<id>} (e.g. {@code StorageServer::put}). */
@FunctionalInterface
public interface ResultUploader {
    String upload(Path file) throws IOException;
}
