package dev.teeflow.devnet.chain;

import dev.teeflow.protocol.chain.ContractCaller;
import dev.teeflow.protocol.chain.Deployment;
import dev.teeflow.protocol.chain.PocoHub;
import dev.teeflow.protocol.chain.RlcToken;
import dev.teeflow.protocol.chain.TxHook;
import dev.teeflow.protocol.chain.TxSender;
import dev.teeflow.protocol.chain.WorkerpoolRegistry;
import dev.teeflow.protocol.chain.WorkerpoolSpec;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.DynamicStruct;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Bytes4;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint8;
import org.web3j.crypto.Keys;
import org.web3j.utils.Numeric;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Deploys the real PoCo 6.1.0 (token mode) and the RLC token on an empty chain: RLC, the three registries
 * + initialize(0x0), the diamond with the base facets, IexecLibOrders_v5, the PoCo facets (the list of
 * PoCo's deploy/0_deploy.ts) added by diamondCut with already present selectors skipped, configure,
 * the 5 categories of PoCo's config.json.
 * Then it funds the dev accounts with RLC and registers the devnet workerpool.
 */
public final class PocoDeployer {
    static final String LIB_ORDERS = "contracts/libs/IexecLibOrders_v5.sol:IexecLibOrders_v5";
    /** The PoCo facets of a token-mode, non-Arbitrum deployment (PoCo's deploy/0_deploy.ts at v6.1.0). */
    static final List<String> FACETS = List.of("IexecAccessorsABILegacyFacet", "IexecCategoryManagerFacet",
            "IexecConfigurationExtraFacet", "IexecConfigurationFacet", "IexecERC20Facet", "IexecEscrowTokenFacet",
            "IexecOrderManagementFacet", "IexecPoco1Facet", "IexecPoco2Facet", "IexecPocoAccessorsFacet",
            "IexecPocoBoostFacet", "IexecPocoBoostAccessorsFacet", "IexecRelayFacet");
    /** PoCo's config.json categories: name and reference work time in seconds. */
    static final Map<String, Long> CATEGORIES = categories();
    static final String WORKERPOOL_DESCRIPTION = "teeflow devnet workerpool (simulated TEE)";
    /** 1,000,000 RLC for every dev account, in nRLC. */
    static final BigInteger RLC_PER_ACCOUNT = BigInteger.valueOf(1_000_000L).multiply(BigInteger.TEN.pow(9));

    private final Path poco;
    private final Path rlcPackage;
    private final Consumer<String> progress;

    /** @param poco the unpacked @iexec/poco package dir; @param rlcPackage the unpacked rlc-faucet-contract */
    public PocoDeployer(Path poco, Path rlcPackage, Consumer<String> progress) {
        this.poco = poco;
        this.rlcPackage = rlcPackage;
        this.progress = progress;
    }

    public ChainManifest deploy(TxSender deployer, TxSender scheduler, ContractCaller caller, String anvilVersion) {
        String rlc = create(deployer, artifact(rlcPackage.resolve("build/contracts/RLC.json")), List.of());
        String appRegistry = registry(deployer, "apps/AppRegistry.sol/AppRegistry.json");
        String datasetRegistry = registry(deployer, "datasets/DatasetRegistry.sol/DatasetRegistry.json");
        String workerpoolRegistry = registry(deployer, "workerpools/WorkerpoolRegistry.sol/WorkerpoolRegistry.json");

        String hub = deployDiamond(deployer);
        String libOrders = create(deployer, pocoArtifact("libs/IexecLibOrders_v5.sol/IexecLibOrders_v5.json"), List.of());
        Set<String> present = new HashSet<>(baseSelectors());
        for (String facet : FACETS) {
            ContractArtifact artifact = pocoArtifact("facets/" + facet + ".sol/" + facet + ".json");
            String address = contractAddress(deployer.deploy(artifact.creationCode(Map.of(LIB_ORDERS, libOrders)), TxHook.NONE)
                    .getContractAddress());
            List<String> added = new ArrayList<>();
            for (String selector : artifact.selectors()) {
                if (present.add(selector)) {
                    added.add(selector);
                }
            }
            progress.accept("facet " + facet + ": " + added.size() + " functions");
            if (!added.isEmpty()) {
                deployer.send(hub, call("diamondCut((address,uint8,bytes4[])[],address,bytes)",
                        new DynamicArray<>(DynamicStruct.class, List.of(facetCut(address, added))),
                        new Address(Address.DEFAULT.getValue()), new DynamicBytes(new byte[0])), TxHook.NONE);
            }
        }

        deployer.send(hub, call("configure(address,string,string,uint8,address,address,address,address)",
                new Address(rlc), new Utf8String("Staked RLC"), new Utf8String("SRLC"), new Uint8(9),
                new Address(appRegistry), new Address(datasetRegistry), new Address(workerpoolRegistry),
                new Address(Address.DEFAULT.getValue())), TxHook.NONE);
        for (Map.Entry<String, Long> category : CATEGORIES.entrySet()) {
            // PoCo's script stores JSON.stringify(description) with an empty description: the text "".
            deployer.send(hub, call("createCategory(string,string,uint256)", new Utf8String(category.getKey()),
                    new Utf8String("\"\""), new Uint256(category.getValue())), TxHook.NONE);
        }
        progress.accept("PoCo configured: hub " + hub);

        RlcToken token = new RlcToken(rlc, caller);
        for (int i = 0; i < DevAccounts.count(); i++) {
            if (i != DevAccounts.DEPLOYER) {
                token.transfer(DevAccounts.address(i), RLC_PER_ACCOUNT, deployer, TxHook.NONE);
            }
        }
        Deployment pool = new WorkerpoolRegistry(workerpoolRegistry, caller)
                .ensureWorkerpool(new WorkerpoolSpec(scheduler.address(), WORKERPOOL_DESCRIPTION), scheduler, TxHook.NONE);
        progress.accept("workerpool " + pool.address() + " owned by " + scheduler.address());

        PocoHub check = new PocoHub(hub, caller);
        if (check.countCategory() != CATEGORIES.size() || !check.token().equalsIgnoreCase(rlc)) {
            throw new DevChainException("PoCo deploy finished but the hub at " + hub + " is not configured as expected");
        }
        return new ChainManifest(ChainManifest.FORMAT_VERSION, deployer.chainId(), PinnedPackages.POCO.version(),
                PinnedPackages.RLC_FAUCET.version(), anvilVersion, deployer.address(), hub, rlc, appRegistry,
                datasetRegistry, workerpoolRegistry, pool.address(), Keys.toChecksumAddress(scheduler.address()),
                WORKERPOOL_DESCRIPTION, CATEGORIES.size(), RLC_PER_ACCOUNT.toString());
    }

    /** The diamond proxy with the cut, loupe and ownership facets and DiamondInit, as deployed on Arbitrum Sepolia. */
    private String deployDiamond(TxSender deployer) {
        String init = create(deployer, baseFacet("DiamondInit"), List.of());
        List<DynamicStruct> cuts = new ArrayList<>();
        for (String name : List.of("DiamondCutFacet", "DiamondLoupeFacet", "OwnershipFacet")) {
            ContractArtifact facet = baseFacet(name);
            cuts.add(facetCut(create(deployer, facet, List.of()), facet.selectors()));
        }
        DynamicStruct args = new DynamicStruct(new Address(deployer.address()), new Address(init),
                new DynamicBytes(Numeric.hexStringToByteArray(ContractArtifact.selector("init()"))));
        String hub = create(deployer, pocoArtifact("Diamond.sol/Diamond.json"),
                List.of(new DynamicArray<>(DynamicStruct.class, cuts), args));
        progress.accept("diamond proxy deployed at " + hub);
        return hub;
    }

    private List<String> baseSelectors() {
        List<String> out = new ArrayList<>();
        for (String name : List.of("DiamondCutFacet", "DiamondLoupeFacet", "OwnershipFacet")) {
            out.addAll(baseFacet(name).selectors());
        }
        return out;
    }

    private String registry(TxSender deployer, String path) {
        ContractArtifact artifact = pocoArtifact("registries/" + path);
        String address = create(deployer, artifact, List.of());
        // initialize(previous registry) with 0x0: a fresh chain has no earlier registry to chain to.
        deployer.send(address, call("initialize(address)", new Address(Address.DEFAULT.getValue())), TxHook.NONE);
        return address;
    }

    @SuppressWarnings("rawtypes") // web3j encodes a raw List<Type>
    private String create(TxSender deployer, ContractArtifact artifact, List<Type> constructorArgs) {
        String code = artifact.creationCode();
        if (!constructorArgs.isEmpty()) {
            code += FunctionEncoder.encodeConstructor(constructorArgs);
        }
        String address = contractAddress(deployer.deploy(code, TxHook.NONE).getContractAddress());
        progress.accept("deployed " + artifact.name() + " at " + address);
        return address;
    }

    private static DynamicStruct facetCut(String facet, List<String> selectors) {
        List<Bytes4> sel = selectors.stream().map(s -> new Bytes4(Numeric.hexStringToByteArray(s))).toList();
        return new DynamicStruct(new Address(facet), new Uint8(0), new DynamicArray<>(Bytes4.class, sel));
    }

    /** Calldata with an explicitly written signature (web3j cannot derive it for struct arrays). */
    private static String call(String signature, Type<?>... args) {
        return ContractArtifact.selector(signature)
                + Numeric.cleanHexPrefix(FunctionEncoder.encodeConstructor(List.of(args)));
    }

    private ContractArtifact pocoArtifact(String relative) {
        return artifact(poco.resolve("artifacts/contracts").resolve(relative));
    }

    private ContractArtifact baseFacet(String name) {
        return artifact(poco.resolve("deployments/arbitrumSepolia").resolve(name + ".json"));
    }

    private static ContractArtifact artifact(Path file) {
        return ContractArtifact.read(file);
    }

    private static String contractAddress(String address) {
        return Keys.toChecksumAddress(address);
    }

    private static Map<String, Long> categories() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("XS", 300L);
        m.put("S", 1200L);
        m.put("M", 3600L);
        m.put("L", 10800L);
        m.put("XL", 36000L);
        return m;
    }

}
