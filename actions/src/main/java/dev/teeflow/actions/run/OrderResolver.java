package dev.teeflow.actions.run;

import dev.teeflow.engine.TeeflowException;
import dev.teeflow.protocol.chain.ContractCaller;
import dev.teeflow.protocol.order.AppOrder;
import dev.teeflow.protocol.order.DatasetOrder;
import dev.teeflow.protocol.order.MarketClient;
import dev.teeflow.protocol.order.OrderKind;
import dev.teeflow.protocol.order.OrderSigner;
import dev.teeflow.protocol.order.PocoOrder;
import dev.teeflow.protocol.order.PublishedOrder;
import dev.teeflow.protocol.order.Tags;
import dev.teeflow.protocol.order.WorkerpoolOrder;
import dev.teeflow.protocol.sign.Eip712Domain;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.web3j.crypto.ECKeyPair;

/**
 * Finds the app, dataset and workerpool orders of a deal: an order for an asset the wallet owns is
 * signed on the spot (free, restricted to this requester, for exactly the volume asked); any other
 * comes from the market API's orderbook, the cheapest open one that matches.
 */
final class OrderResolver {
    /** An order and where it came from, for the log ("signed here", "market 0x.."). */
    record Found<T extends PocoOrder>(T order, String source, BigInteger remaining) {
    }

    private final ContractCaller caller;
    private final MarketClient market;
    private final Eip712Domain domain;
    private final String requester;
    private final ECKeyPair key;

    OrderResolver(ContractCaller caller, MarketClient market, Eip712Domain domain, String requester, ECKeyPair key) {
        this.caller = caller;
        this.market = market;
        this.domain = domain;
        this.requester = requester;
        this.key = key;
    }

    boolean owns(String asset) {
        return caller.owner(asset).equalsIgnoreCase(requester);
    }

    Found<WorkerpoolOrder> workerpool(String pool, String tag, long category, long trust, long volume) {
        BigInteger v = BigInteger.valueOf(volume);
        if (owns(pool)) {
            WorkerpoolOrder o = new WorkerpoolOrder(pool, BigInteger.ZERO, v, tag, BigInteger.valueOf(category),
                    BigInteger.valueOf(trust), null, null, requester, null, null);
            return new Found<>((WorkerpoolOrder) OrderSigner.sign(o, domain, key), "signed here (the wallet owns the workerpool)", v);
        }
        Map<String, Object> filters = new LinkedHashMap<>();
        filters.put("workerpool", pool);
        filters.put("category", category);
        filters.put("minTag", tag);
        filters.put("requester", requester);
        return OrderResolver.<WorkerpoolOrder>best(this, OrderKind.WORKERPOOL, filters, volume,
                o -> Tags.contains(o.tag(), tag) && ((WorkerpoolOrder) o).trust().compareTo(BigInteger.valueOf(trust)) >= 0
                        && ((WorkerpoolOrder) o).category().longValue() == category)
                .orElseThrow(() -> new TeeflowException("the market API has no open order of workerpool " + pool
                        + " for category " + category + ", tag " + String.join(",", Tags.names(tag)) + ", trust " + trust
                        + " and volume " + volume + " (is the workerpool running and publishing orders? on a devnet: "
                        + "'teeflow devnet status')"));
    }

    Found<AppOrder> app(String app, String dataset, String pool, String tag, long volume) {
        BigInteger v = BigInteger.valueOf(volume);
        if (owns(app)) {
            AppOrder o = new AppOrder(app, BigInteger.ZERO, v, tag, null, null, requester, null, null);
            return new Found<>((AppOrder) OrderSigner.sign(o, domain, key), "signed here (the wallet owns the app)", v);
        }
        Map<String, Object> filters = new LinkedHashMap<>();
        filters.put("app", app);
        filters.put("dataset", dataset == null ? PocoOrder.NULL_ADDRESS : dataset);
        filters.put("workerpool", pool);
        filters.put("requester", requester);
        filters.put("maxTag", tag);
        return OrderResolver.<AppOrder>best(this, OrderKind.APP, filters, volume, o -> Tags.contains(tag, o.tag()))
                .orElseThrow(() -> new TeeflowException("the market API has no open order of app " + app
                        + " usable by " + requester + " on workerpool " + pool + " with tag within "
                        + String.join(",", Tags.names(tag)) + " and volume " + volume
                        + "; ask the app's owner to publish one (iexec app publish " + app + ")"));
    }

    Found<DatasetOrder> dataset(String dataset, String app, String pool, String tag, long volume) {
        BigInteger v = BigInteger.valueOf(volume);
        if (owns(dataset)) {
            DatasetOrder o = new DatasetOrder(dataset, BigInteger.ZERO, v, tag, app, null, requester, null, null);
            return new Found<>((DatasetOrder) OrderSigner.sign(o, domain, key), "signed here (the wallet owns the dataset)", v);
        }
        Map<String, Object> filters = new LinkedHashMap<>();
        filters.put("dataset", dataset);
        filters.put("app", app);
        filters.put("workerpool", pool);
        filters.put("requester", requester);
        filters.put("maxTag", tag);
        return OrderResolver.<DatasetOrder>best(this, OrderKind.DATASET, filters, volume, o -> Tags.contains(tag, o.tag()))
                .orElseThrow(() -> new TeeflowException("the market API has no open order of dataset " + dataset
                        + " usable by " + requester + " with app " + app + " on workerpool " + pool
                        + " and volume " + volume + "; ask the dataset's owner to publish one (iexec dataset publish "
                        + dataset + " --app-restrict " + app + ")"));
    }

    /**
     * The most an app order could cost per task once the dataset it is matched with is known (that is
     * made by a step that has not run): 0 when the wallet owns the app, else the dearest open order the
     * requester may use with any dataset. Empty when there is none at all.
     */
    Optional<BigInteger> dearestApp(String app, String pool, String tag, long volume) {
        return dearestUsableWithAny(OrderKind.APP, "app", app, "dataset", pool, tag, volume, o -> ((AppOrder) o).appprice());
    }

    /** As {@link #dearestApp}, for a dataset whose app is made by a step that has not run. */
    Optional<BigInteger> dearestDataset(String dataset, String pool, String tag, long volume) {
        return dearestUsableWithAny(OrderKind.DATASET, "dataset", dataset, "app", pool, tag, volume,
                o -> ((DatasetOrder) o).datasetprice());
    }

    private Optional<BigInteger> dearestUsableWithAny(OrderKind kind, String assetFilter, String asset, String anyFilter,
                                                      String pool, String tag, long volume,
                                                      java.util.function.Function<PocoOrder, BigInteger> price) {
        if (owns(asset)) {
            return Optional.of(BigInteger.ZERO);
        }
        Map<String, Object> filters = new LinkedHashMap<>();
        filters.put(assetFilter, asset);
        filters.put(anyFilter, "any");
        filters.put("workerpool", pool);
        filters.put("requester", requester);
        filters.put("maxTag", tag);
        return dearest(this, kind, filters, volume, o -> Tags.contains(tag, o.tag()), price);
    }

    private static Optional<BigInteger> dearest(OrderResolver self, OrderKind kind, Map<String, Object> filters,
                                                long volume, Predicate<PocoOrder> fits,
                                                java.util.function.Function<PocoOrder, BigInteger> price) {
        if (self.market == null) {
            return Optional.empty();
        }
        BigInteger v = BigInteger.valueOf(volume);
        return self.market.orderbook(kind, filters).orders().stream()
                .filter(p -> p.isOpen() && p.remaining().compareTo(v) >= 0 && fits.test(p.order()))
                .map(p -> price.apply(p.order())).max(BigInteger::compareTo);
    }

    @SuppressWarnings("unchecked")
    private static <T extends PocoOrder> Optional<Found<T>> best(OrderResolver self, OrderKind kind,
                                                                Map<String, Object> filters, long volume,
                                                                Predicate<PocoOrder> fits) {
        MarketClient market = self.market;
        if (market == null) {
            throw new TeeflowException("the chain has no market API configured, so the " + kind.apiName()
                    + " cannot be found; add 'market:' to the chain under chains:");
        }
        BigInteger v = BigInteger.valueOf(volume);
        for (PublishedOrder p : market.orderbook(kind, filters).orders()) {
            if (p.isOpen() && p.remaining().compareTo(v) >= 0 && fits.test(p.order())) {
                return Optional.of(new Found<>((T) p.order(), "market order " + p.orderHash(), p.remaining()));
            }
        }
        return Optional.empty();
    }
}
