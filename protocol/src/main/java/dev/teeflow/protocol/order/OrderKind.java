package dev.teeflow.protocol.order;

import dev.teeflow.protocol.sign.Eip712Type;

/** The four PoCo order types with their EIP-712 struct, market path and main address field. */
public enum OrderKind {
    APP("apporder", "/apporders", "app", Eip712Type.of("AppOrder",
            "app", "address", "appprice", "uint256", "volume", "uint256", "tag", "bytes32",
            "datasetrestrict", "address", "workerpoolrestrict", "address", "requesterrestrict", "address",
            "salt", "bytes32")),
    DATASET("datasetorder", "/datasetorders", "dataset", Eip712Type.of("DatasetOrder",
            "dataset", "address", "datasetprice", "uint256", "volume", "uint256", "tag", "bytes32",
            "apprestrict", "address", "workerpoolrestrict", "address", "requesterrestrict", "address",
            "salt", "bytes32")),
    WORKERPOOL("workerpoolorder", "/workerpoolorders", "workerpool", Eip712Type.of("WorkerpoolOrder",
            "workerpool", "address", "workerpoolprice", "uint256", "volume", "uint256", "tag", "bytes32",
            "category", "uint256", "trust", "uint256",
            "apprestrict", "address", "datasetrestrict", "address", "requesterrestrict", "address",
            "salt", "bytes32")),
    REQUEST("requestorder", "/requestorders", "requester", Eip712Type.of("RequestOrder",
            "app", "address", "appmaxprice", "uint256", "dataset", "address", "datasetmaxprice", "uint256",
            "workerpool", "address", "workerpoolmaxprice", "uint256", "requester", "address",
            "volume", "uint256", "tag", "bytes32", "category", "uint256", "trust", "uint256",
            "beneficiary", "address", "callback", "address", "params", "string", "salt", "bytes32"));

    private final String apiName;
    private final String path;
    private final String addressField;
    private final Eip712Type type;

    OrderKind(String apiName, String path, String addressField, Eip712Type type) {
        this.apiName = apiName;
        this.path = path;
        this.addressField = addressField;
        this.type = type;
    }

    /** "apporder", as the market API names it in messages. */
    public String apiName() {
        return apiName;
    }

    /** "/apporders". */
    public String path() {
        return path;
    }

    /** The field naming the order's resource (app, dataset, workerpool) or its requester. */
    public String addressField() {
        return addressField;
    }

    public Eip712Type type() {
        return type;
    }

    public static OrderKind fromPath(String path) {
        for (OrderKind k : values()) {
            if (k.path.equals(path)) {
                return k;
            }
        }
        throw new IllegalArgumentException("no order kind for path " + path);
    }
}
