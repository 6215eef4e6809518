package dev.teeflow.devnet.market;

/** An error answered as {@code {"ok":false,"error":message}} with the market API's status code. */
final class MarketError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;

    private MarketError(int status, String message) {
        super(message);
        this.status = status;
    }

    /** 400: a malformed request (the market's validation errors). */
    static MarketError validation(String message) {
        return new MarketError(400, message);
    }

    /** 403: the market's business rule refusals (already published, wrong signer...). */
    static MarketError business(String message) {
        return new MarketError(403, message);
    }

    /** 403 with the fixed text the market API uses for every authorization failure. */
    static MarketError auth() {
        return new MarketError(403, "invalid authorization");
    }

    static MarketError notFound(String message) {
        return new MarketError(404, message);
    }
}
