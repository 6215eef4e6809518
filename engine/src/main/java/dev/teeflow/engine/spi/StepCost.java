package dev.teeflow.engine.spi;

import java.math.BigInteger;
import java.util.List;

/**
 * What running one step will cost, for the plan: what it pays (in the chain's token, counted in its
 * smallest unit: nRLC on iExec) and the gas of each transaction it sends. The engine and the CLI add
 * these up; nothing here is read back from text.
 *
 * @param payment what the step pays, or {@code null} when it pays nothing (a deploy only pays gas)
 * @param transactions the transactions it will send, in order; empty when it sends none
 */
public record StepCost(Amount payment, List<Gas> transactions) {
    public StepCost {
        transactions = List.copyOf(transactions);
    }

    /** How far a number can be trusted. */
    public enum Kind {
        /** Read from the chain or the market now (current prices, {@code eth_estimateGas}). */
        ESTIMATE,
        /** Not knowable before upstream steps run: an upper bound, {@code note} says why. */
        BOUND,
        /** Neither an estimate nor a bound can be given: {@code note} says why. Never counted as zero. */
        UNKNOWN
    }

    /** An amount of the token (nRLC); {@code value} is null when {@code kind} is UNKNOWN. */
    public record Amount(BigInteger value, Kind kind, String note) {
        public static Amount estimate(BigInteger value, String note) {
            return new Amount(value, Kind.ESTIMATE, note);
        }

        public static Amount bound(BigInteger value, String why) {
            return new Amount(value, Kind.BOUND, why);
        }

        public static Amount unknown(String why) {
            return new Amount(null, Kind.UNKNOWN, why);
        }
    }

    /**
     * One transaction: its gas (units) and the price per unit (wei) it would pay now.
     *
     * @param operation what it does ("createApp", "deposit", "matchOrders")
     * @param gas gas units, or null when UNKNOWN
     * @param weiPerGas the chain's price per gas unit now (base fee + priority fee), or null when unknown
     */
    public record Gas(String operation, BigInteger gas, BigInteger weiPerGas, Kind kind, String note) {
        /** The native cost in wei, or null when gas or price is unknown. */
        public BigInteger wei() {
            return gas == null || weiPerGas == null ? null : gas.multiply(weiPerGas);
        }
    }

    public static StepCost of(Amount payment, List<Gas> transactions) {
        return new StepCost(payment, transactions);
    }

    /** A step whose cost could not be worked out at all: {@code why} is shown, nothing counts as zero. */
    public static StepCost unknown(String why) {
        return new StepCost(Amount.unknown(why), List.of(new Gas("transaction", null, null, Kind.UNKNOWN, why)));
    }
}
