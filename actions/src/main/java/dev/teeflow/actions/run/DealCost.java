package dev.teeflow.actions.run;

import dev.teeflow.protocol.chain.HubAccount;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * What one deal costs the requester, in nRLC: (app + dataset + workerpool price) x volume, locked on the
 * hub account when matchOrders runs; and how much of it the account's free stake does not cover.
 */
record DealCost(BigInteger appPrice, BigInteger datasetPrice, BigInteger workerpoolPrice, long volume,
                String requester, HubAccount account) {

    BigInteger perTask() {
        return appPrice.add(datasetPrice).add(workerpoolPrice);
    }

    BigInteger total() {
        return perTask().multiply(BigInteger.valueOf(volume));
    }

    /** The part of the cost the free stake lacks: what {@code deposit: auto} deposits. */
    BigInteger shortfall() {
        BigInteger s = total().subtract(account.stake());
        return s.signum() > 0 ? s : BigInteger.ZERO;
    }

    static String rlc(BigInteger nrlc) {
        return new BigDecimal(nrlc).divide(BudgetSection.NRLC_PER_RLC).stripTrailingZeros().toPlainString() + " RLC";
    }

    /** "costs 3000 nRLC (0.000003 RLC): (app 0 + dataset 1000 + workerpool 0) x 3; requester 0x.. ..." */
    String describe() {
        return "costs " + total() + " nRLC (" + rlc(total()) + "): (app " + appPrice + " + dataset " + datasetPrice
                + " + workerpool " + workerpoolPrice + " nRLC) x volume " + volume + "; requester " + requester
                + " hub account: stake " + account.stake() + ", locked " + account.locked() + " nRLC; deposit shortfall "
                + shortfall() + " nRLC";
    }
}
