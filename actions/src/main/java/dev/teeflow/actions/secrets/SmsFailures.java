package dev.teeflow.actions.secrets;

import dev.teeflow.engine.TeeflowException;
import dev.teeflow.protocol.sms.SmsException;
import java.net.URI;

/** Turns an SMS failure into one message a person can act on; never holds the secret's value. */
final class SmsFailures {
    private SmsFailures() {
    }

    static TeeflowException explain(String step, SecretSlot slot, String signer, URI sms, SmsException e) {
        String advice;
        if (e instanceof SmsException.NotAuthorized) {
            advice = switch (slot.kind()) {
                case DATASET, APP -> " The SMS checks owner() of " + slot.address() + ": push with the wallet that owns it"
                        + " (this step signed with " + signer + "), or check that the asset is deployed on this chain.";
                default -> " The signature of " + signer + " was refused; the secret can only be pushed by its owner.";
            };
        } else if (e instanceof SmsException.TooLarge) {
            advice = " Keep the value at or under 4096 bytes.";
        } else if (e instanceof SmsException.Unavailable && e.status() == 0) {
            advice = " Is the SMS at " + sms + " up? For the devnet, run 'teeflow devnet up'; otherwise check the"
                    + " chain's sms URL (chains: in the pipeline).";
        } else if (e instanceof SmsException.Unavailable) {
            advice = " Run again later; nothing was changed in the SMS by this attempt that a re-run cannot see.";
        } else if (e instanceof SmsException.NotFound) {
            advice = " It disappeared between the check and the update; run again to push it anew.";
        } else {
            advice = "";
        }
        return new TeeflowException(step + ": " + e.getMessage() + "." + advice, e);
    }
}
