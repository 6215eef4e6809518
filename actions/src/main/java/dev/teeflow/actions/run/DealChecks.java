package dev.teeflow.actions.run;

import dev.teeflow.actions.chain.ChainConfig;
import dev.teeflow.actions.deploy.ChainAccess;
import dev.teeflow.actions.secrets.ResultKeyLedger;

import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.spi.StepContext;
import dev.teeflow.protocol.chain.ChainException;
import dev.teeflow.protocol.chain.HubAccount;
import dev.teeflow.protocol.sms.SmsClient;
import dev.teeflow.protocol.sms.SmsException;
import java.math.BigInteger;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * What is checked before a deal costs anything: every requester secret the task reads is in the SMS,
 * the result encryption key is there when results are encrypted, and the hub account holds enough
 * RLC (deposited from the wallet when {@code deposit: auto}). All problems are reported at once, and
 * nothing is sent when there is one.
 */
final class DealChecks {
    private final StepContext ctx;
    private final ChainAccess chain;
    private final DealPlan plan;
    private final ResultKeyLedger ledger;

    DealChecks(StepContext ctx, ChainAccess chain, DealPlan plan, ResultKeyLedger ledger) {
        this.ctx = ctx;
        this.chain = chain;
        this.plan = plan;
        this.ledger = ledger;
    }

    void beforePaying(BigInteger cost) {
        List<String> missing = new ArrayList<>();
        String me = chain.wallet().address();
        URI smsUrl = chain.chain().smsUrl(plan.teeFramework());
        SmsClient sms = new SmsClient(smsUrl);
        try {
            plan.secrets().forEach((index, name) -> {
                if (!sms.requesterSecretExists(me, name)) {
                    missing.add("the requester secret '" + name + "' (IEXEC_REQUESTER_SECRET_" + index + ") of " + me
                            + " is not in the SMS at " + smsUrl + ": declare it under secrets: { " + name
                            + ": env:SOME_VARIABLE } so teeflow pushes it, or push it with"
                            + " 'iexec requester push-secret " + name + "'");
                }
            });
            if (plan.encryptResult() && !sms.web2SecretExists(me, DealStep.RESULT_KEY_SECRET)) {
                missing.add("the result encryption key of " + me + " is not in the SMS at " + smsUrl
                        + ": add 'result: { encryption: true }' to the pipeline");
            }
            String resultKey = ctx.inputs().string("result-key", null);
            if (plan.encryptResult() && resultKey != null) {
                ledger.otherKey(smsUrl.toString(), me, resultKey).ifPresent(missing::add);
            }
        } catch (SmsException e) {
            throw new TeeflowException(ctx.address() + ": cannot check the secrets in the SMS at " + smsUrl + ": "
                    + e.getMessage() + chain.chain().devnetName().map(n -> " (is the devnet up? '" + ChainConfig.startCommand(n).replace(" up", " status")
                            + "')").orElse(""));
        }
        if (!missing.isEmpty()) {
            throw new TeeflowException(ctx.address() + ": nothing was paid, because " + String.join("; and ", missing));
        }
        checkBalance(cost);
    }

    private void checkBalance(BigInteger cost) {
        if (cost.signum() == 0) {
            return;
        }
        String me = chain.wallet().address();
        HubAccount account = chain.hub().viewAccount(me);
        BigInteger shortBy = cost.subtract(account.stake());
        if (shortBy.signum() <= 0) {
            return;
        }
        BigInteger wallet = chain.hub().rlc().balanceOf(me);
        String amounts = "the deal costs " + cost + " nRLC and the hub account of " + me + " holds " + account.stake()
                + " nRLC (" + shortBy + " missing; the wallet holds " + wallet + " nRLC)";
        if (!"auto".equals(plan.deposit())) {
            throw new TeeflowException(ctx.address() + ": nothing was paid, because " + amounts
                    + ": deposit with 'iexec account deposit " + shortBy + "' or set 'deposit: auto' in the run");
        }
        if (wallet.compareTo(shortBy) < 0) {
            throw new TeeflowException(ctx.address() + ": nothing was paid, because " + amounts
                    + ": get RLC into the wallet first");
        }
        ctx.log().info("depositing " + shortBy + " nRLC from the wallet to the hub (deposit: auto)");
        try {
            chain.hub().deposit(shortBy, chain.sender(), hash -> ctx.log().info("deposit transaction " + hash));
        } catch (ChainException e) {
            throw new TeeflowException(ctx.address() + ": the deposit failed: " + e.getMessage(), e);
        }
    }
}
