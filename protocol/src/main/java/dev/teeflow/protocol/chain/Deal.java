package dev.teeflow.protocol.chain;

import java.math.BigInteger;

/** A deal as returned by {@code viewDeal}. Addresses are checksummed; prices in nRLC. */
public record Deal(Resource app, Resource dataset, Resource workerpool, BigInteger trust, BigInteger category,
                   String tag, String requester, String beneficiary, String callback, String params,
                   BigInteger startTime, BigInteger botFirst, BigInteger botSize, BigInteger workerStake,
                   BigInteger schedulerRewardRatio, String sponsor) {

    /** One resource of a deal: its contract, its owner and the price paid. */
    public record Resource(String pointer, String owner, BigInteger price) {
    }

    /** True when no deal exists under that id (the chain returns zeros). */
    public boolean isEmpty() {
        return app.pointer().equals("0x0000000000000000000000000000000000000000");
    }
}
