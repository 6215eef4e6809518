package dev.teeflow.actions.run;

import dev.teeflow.actions.deploy.ChainAccess;

import dev.teeflow.actions.chain.ChainConfig;
import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.spi.Inputs;
import dev.teeflow.protocol.order.Tags;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** What a deal step was asked for, read from its inputs with the chain's defaults filled in. */
record DealPlan(String app, String dataset, String workerpool, String tag, long category, long trust, long volume,
                Map<String, String> secrets, boolean encryptResult, String deposit, String params, String teeFramework) {
    private static final Pattern ADDRESS = Pattern.compile("0x[0-9a-fA-F]{40}");

    static DealPlan of(Inputs in, ChainAccess chain) {
        ChainConfig c = chain.chain();
        String app = address(in, "app", in.string("app"));
        String dataset = in.optionalString("dataset").filter(d -> !d.isBlank()).map(d -> address(in, "dataset", d)).orElse(null);
        String pool = in.optionalString("workerpool").orElse(c.workerpool());
        if (pool == null || pool.isBlank()) {
            throw new TeeflowException(in.owner() + ": no workerpool: give 'workerpool:' in the run, or a default"
                    + " workerpool for chain '" + c.name() + "' under chains:");
        }
        if (!ADDRESS.matcher(pool).matches()) {
            throw new TeeflowException(in.owner() + ": workerpool '" + pool + "' is a name; teeflow does not resolve"
                    + " ENS names yet: give the workerpool's address (e.g. from the iExec explorer or"
                    + " 'iexec ens resolve " + pool + "')");
        }
        String framework = in.optionalString("tee-framework").orElse(c.teeFramework());
        String tag;
        try {
            tag = Tags.parse(in.optionalString("tag").orElse("tee," + framework));
        } catch (IllegalArgumentException e) {
            throw new TeeflowException(in.owner() + ": tag: " + e.getMessage());
        }
        Map<String, String> secrets = new LinkedHashMap<>();
        in.child("secrets").asMap().forEach((k, v) -> secrets.put(k, String.valueOf(v)));
        boolean encrypt = in.bool("encrypt-result", false);
        String args = argsOf(in);
        List<String> files = in.strings("input-files");
        String params = new RequestParams(args, files, secrets, encrypt, "ipfs").toJson();
        String deposit = in.optionalString("deposit").orElse(c.devnet() ? "auto" : "never");
        return new DealPlan(app, dataset, pool, tag, in.number("category", 0), in.number("trust", 0),
                in.number("volume", 1), secrets, encrypt, deposit, params, framework);
    }

    private static String argsOf(Inputs in) {
        Object raw = in.raw("args");
        if (raw == null) {
            return null;
        }
        if (raw instanceof List<?>) {
            return RequestParams.joinArgs(new ArrayList<>(in.strings("args")));
        }
        return in.string("args");
    }

    private static String address(Inputs in, String field, String value) {
        if (!ADDRESS.matcher(value).matches()) {
            throw new TeeflowException(in.owner() + ": " + field + " '" + value + "' is not an address (0x + 40 hex digits)");
        }
        return value;
    }
}
