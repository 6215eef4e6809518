package dev.teeflow.protocol.sign;

import java.io.ByteArrayOutputStream;
import java.util.LinkedHashMap;
import java.util.Map;

import org.web3j.crypto.Hash;

/**
 * An EIP-712 domain. verifyingContract is optional: the market gateway's challenge domain has none,
 * and then the field is left out of the EIP712Domain type as well (as ethers does).
 */
public record Eip712Domain(String name, String version, long chainId, String verifyingContract) {

    /** PoCo's domain as returned by the hub's {@code domain()} view. */
    public static Eip712Domain poco(long chainId, String hub) {
        return new Eip712Domain("iExecODB", "5.0.0", chainId, hub);
    }

    /** The market API's login domain. */
    public static Eip712Domain gateway(long chainId) {
        return new Eip712Domain("iExec Gateway", "1", chainId, null);
    }

    /** A workerpool scheduler's (iexec-core) login domain, used for the task logs challenge. */
    public static Eip712Domain core(long chainId) {
        return new Eip712Domain("iExec Core", "1", chainId, null);
    }

    public Eip712Type type() {
        return verifyingContract == null
                ? Eip712Type.of("EIP712Domain", "name", "string", "version", "string", "chainId", "uint256")
                : Eip712Type.of("EIP712Domain", "name", "string", "version", "string", "chainId", "uint256",
                        "verifyingContract", "address");
    }

    public byte[] separator() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("name", name);
        values.put("version", version);
        values.put("chainId", chainId);
        if (verifyingContract != null) {
            values.put("verifyingContract", verifyingContract);
        }
        return type().hashStruct(values);
    }

    /** keccak256(0x19 0x01 || domainSeparator || hashStruct(message)): what gets signed. */
    public byte[] digest(Eip712Type type, Map<String, ?> message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x19);
        out.write(0x01);
        out.writeBytes(separator());
        out.writeBytes(type.hashStruct(message));
        return Hash.sha3(out.toByteArray());
    }
}
