package dev.teeflow.devnet.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reads the real PoCo package (installed into the teeflow cache on first use). */
class ContractArtifactTest {
    private static Path poco;

    @BeforeAll
    static void install() {
        poco = new NpmInstaller(CacheDir.resolve(), line -> { }).install(PinnedPackages.POCO);
    }

    @Test
    void baseFacetSelectorsMatchTheDiamondCutRecordedOnArbitrumSepolia() throws IOException {
        JsonNode cuts = new ObjectMapper().readTree(poco.resolve("deployments/arbitrumSepolia/Diamond.json").toFile())
                .get("args").get(0);
        String[] facets = {"DiamondCutFacet", "DiamondLoupeFacet", "OwnershipFacet"};
        for (int i = 0; i < facets.length; i++) {
            List<String> recorded = new ArrayList<>();
            cuts.get(i).get("functionSelectors").forEach(s -> recorded.add(s.asText()));
            ContractArtifact facet = ContractArtifact.read(poco.resolve("deployments/arbitrumSepolia/" + facets[i] + ".json"));
            assertThat(facet.selectors()).as(facets[i]).containsExactlyInAnyOrderElementsOf(recorded);
        }
    }

    @Test
    void tupleParametersUseTheirCanonicalForm() {
        assertThat(ContractArtifact.selector("diamondCut((address,uint8,bytes4[])[],address,bytes)")).isEqualTo("0x1f931c1c");
    }

    @Test
    void facetsGetTheOrdersLibraryLinkedAtEveryReference() {
        ContractArtifact poco1 = ContractArtifact.read(poco.resolve(
                "artifacts/contracts/facets/IexecPoco1Facet.sol/IexecPoco1Facet.json"));
        String lib = "0x1234567890abcdef1234567890abcdef12345678";
        String linked = poco1.creationCode(Map.of(PocoDeployer.LIB_ORDERS, lib));
        assertThat(linked).doesNotContain("__$").contains(lib.substring(2));
        assertThatThrownBy(poco1::creationCode).isInstanceOf(DevChainException.class)
                .hasMessageContaining("IexecPoco1Facet needs library " + PocoDeployer.LIB_ORDERS);
    }
}
