package io.emostream.ingest.live;

import java.nio.file.Path;

/**
 * TLS for the live ingest port: a PKCS#12 (or JKS) key store holding the server's certificate chain and private key.
 * Genesys connects to {@code wss://} only, with a certificate from a public CA.
 */
public record TlsSettings(Path keyStore, String password) {
    @Override
    public String toString() {
        return "TlsSettings[keyStore=" + keyStore + "]";
    }
}
