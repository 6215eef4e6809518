package dev.teeflow.actions.order;

import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.spi.Inputs;
import dev.teeflow.protocol.order.AppOrder;
import dev.teeflow.protocol.order.DatasetOrder;
import dev.teeflow.protocol.order.OrderKind;
import dev.teeflow.protocol.order.PocoOrder;
import dev.teeflow.protocol.order.Tags;
import dev.teeflow.protocol.order.WorkerpoolOrder;
import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The unsigned, unsalted order a {@code order.publish} step's inputs describe. */
final class OrderInputs {
    static final List<String> KINDS = List.of("app", "dataset", "workerpool");
    /** What the iExec SDK's {@code order init} proposes for app and dataset orders. */
    static final long DEFAULT_ASSET_VOLUME = 1_000_000L;

    private OrderInputs() {
    }

    static OrderKind kind(Inputs in) {
        String kind = in.string("kind").toLowerCase(Locale.ROOT);
        return switch (kind) {
            case "app" -> OrderKind.APP;
            case "dataset" -> OrderKind.DATASET;
            case "workerpool" -> OrderKind.WORKERPOOL;
            default -> throw new TeeflowException(in.owner() + ": input 'kind' must be one of " + KINDS + ", not '" + kind + "'");
        };
    }

    static PocoOrder build(Inputs in) {
        OrderKind kind = kind(in);
        String resource = in.string("resource");
        BigInteger price = uint(in, "price", 0);
        String tag = tag(in);
        try {
            return switch (kind) {
                case APP -> new AppOrder(resource, price, uint(in, "volume", DEFAULT_ASSET_VOLUME), tag,
                        address(in, "dataset-restrict"), address(in, "workerpool-restrict"), address(in, "requester-restrict"),
                        null, null);
                case DATASET -> new DatasetOrder(resource, price, uint(in, "volume", DEFAULT_ASSET_VOLUME), tag,
                        address(in, "app-restrict"), address(in, "workerpool-restrict"), address(in, "requester-restrict"),
                        null, null);
                case WORKERPOOL -> new WorkerpoolOrder(resource, price, uint(in, "volume", 1), tag,
                        uint(in, "category", 0), uint(in, "trust", 0),
                        address(in, "app-restrict"), address(in, "dataset-restrict"), address(in, "requester-restrict"),
                        null, null);
                default -> throw new IllegalStateException(kind.toString());
            };
        } catch (IllegalArgumentException e) {
            throw new TeeflowException(in.owner() + ": " + e.getMessage());
        }
    }

    /**
     * {@code tag}: names ({@code [tee, scone]}, {@code "tee,tdx"}) or a bytes32. Without it, an app order
     * takes its tag from the app's TEE framework ({@code framework} input: tdx -> tee,tdx; scone -> tee,scone),
     * because workers only run a TEE app in a deal whose tag says so.
     */
    static String tag(Inputs in) {
        List<String> written = in.strings("tag");
        try {
            if (!written.isEmpty()) {
                return written.size() == 1 ? Tags.parse(written.get(0)) : Tags.fromNames(written);
            }
            String framework = in.string("framework", "").toLowerCase(Locale.ROOT);
            return switch (framework) {
                case "tdx" -> Tags.fromNames(List.of("tee", "tdx"));
                case "scone" -> Tags.fromNames(List.of("tee", "scone"));
                case "gramine" -> Tags.fromNames(List.of("tee", "gramine"));
                default -> Tags.parse(null);
            };
        } catch (IllegalArgumentException e) {
            throw new TeeflowException(in.owner() + ": tag: " + e.getMessage());
        }
    }

    private static BigInteger uint(Inputs in, String key, long fallback) {
        Object v = in.raw(key);
        if (v == null) {
            return BigInteger.valueOf(fallback);
        }
        try {
            BigInteger b = new java.math.BigDecimal(v.toString().trim()).toBigIntegerExact();
            if (b.signum() < 0) {
                throw new NumberFormatException();
            }
            return b;
        } catch (NumberFormatException | ArithmeticException e) {
            throw new TeeflowException(in.owner() + ": input '" + key + "' must be a whole number of 0 or more (nRLC for prices), not '" + v + "'");
        }
    }

    private static String address(Inputs in, String key) {
        return in.optionalString(key).filter(s -> !s.isBlank()).orElse(null);
    }

    /** Two orders say the same thing when every field but salt (and sign) is equal. */
    static boolean sameTerms(PocoOrder a, PocoOrder b) {
        if (a.kind() != b.kind()) {
            return false;
        }
        Map<String, Object> x = new java.util.LinkedHashMap<>(a.values());
        Map<String, Object> y = new java.util.LinkedHashMap<>(b.values());
        x.remove("salt");
        y.remove("salt");
        return x.equals(y);
    }
}
