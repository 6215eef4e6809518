package dev.teeflow.protocol.chain;

import org.junit.jupiter.api.Test;
import org.web3j.utils.Numeric;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class MultiaddrTest {
    private static final String CID_V0 = "QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG";
    /** /ipfs code 421 as varint (a503), multihash length 34 (22), sha2-256 multihash (1220 + digest). */
    private static final String BINARY = "0xa5032212209d6c2be50f706953479ab9df2ce3edca90b68053c00b3004b7f0accbe1e8eedf";

    @Test
    void anIpfsPathIsEncodedAsABinaryMultiaddr() {
        assertThat(Numeric.toHexString(Multiaddr.encode("/ipfs/" + CID_V0))).isEqualTo(BINARY);
        assertThat(Numeric.toHexString(Multiaddr.encode("/p2p/" + CID_V0))).isEqualTo(BINARY);
    }

    @Test
    void aCidV1IsReducedToItsMultihash() {
        assertThat(Numeric.toHexString(Multiaddr.encode(
                "/ipfs/bafybeie5nqv6kd3qnfjupgvz34woh3oksc3iau6abmyajn7qvtf6d2ho34"))).isEqualTo(BINARY);
    }

    @Test
    void imageReferencesAndUrlsAreUtf8() {
        for (String text : new String[] {"registry.local:5000/app:1.0", "https://raw.git.local/d/emails.xlsx.enc",
                "/ipfs/not-a-cid!", "/ipfs/" + CID_V0 + "/file.txt", ""}) {
            assertThat(Multiaddr.encode(text)).isEqualTo(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void decodingReversesEncoding() {
        assertThat(Multiaddr.decode(Numeric.hexStringToByteArray(BINARY))).isEqualTo("/ipfs/" + CID_V0);
        assertThat(Multiaddr.decode("docker.io/x/y:1".getBytes(StandardCharsets.UTF_8))).isEqualTo("docker.io/x/y:1");
    }

    @Test
    void base58KeepsLeadingZeros() {
        byte[] bytes = {0, 0, 1, 2, (byte) 0xff};
        assertThat(Multiaddr.unbase58(Multiaddr.base58(bytes))).isEqualTo(bytes);
        assertThat(Multiaddr.base58(bytes)).startsWith("11");
    }
}
