package dev.teeflow.devnet.worker;

import dev.teeflow.protocol.sign.Signatures;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Hash;
import org.web3j.crypto.Keys;
import org.web3j.utils.Numeric;

import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;

/**
 * SIMULATED TEE: stands in for the enclave's challenge key. A real worker gets this key from the SMS
 * session of an attested enclave; here it is a fresh random key per workerpool start, held in memory,
 * and every result it signs was computed in a plain container.
 */
final class SimulatedEnclave {
    private final ECKeyPair key;

    SimulatedEnclave() {
        try {
            key = Keys.createEcKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot create the simulated enclave key", e);
        }
    }

    /** The enclave challenge address given to contributeAndFinalize. */
    String address() {
        return Keys.toChecksumAddress(Keys.getAddress(key));
    }

    /** EIP-191 over keccak(resultHash || resultSeal), resultHash = keccak(taskid || digest), resultSeal = keccak(worker || taskid || digest). */
    byte[] sign(String taskId, String digest, String worker) {
        byte[] task = Numeric.hexStringToByteArray(taskId);
        byte[] dig = Numeric.hexStringToByteArray(digest);
        byte[] resultHash = Hash.sha3(concat(task, dig));
        byte[] resultSeal = Hash.sha3(concat(Numeric.hexStringToByteArray(worker), task, dig));
        return Signatures.personalSign(Hash.sha3(concat(resultHash, resultSeal)), key).toBytes();
    }

    /** The scheduler's authorization: EIP-191 over keccak(worker || taskid || enclaveChallenge). */
    static byte[] authorize(String worker, String taskId, String enclaveChallenge, ECKeyPair scheduler) {
        byte[] hash = Hash.sha3(concat(Numeric.hexStringToByteArray(worker), Numeric.hexStringToByteArray(taskId),
                Numeric.hexStringToByteArray(enclaveChallenge)));
        return Signatures.personalSign(hash, scheduler).toBytes();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
