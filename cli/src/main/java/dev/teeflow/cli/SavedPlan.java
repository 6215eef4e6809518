package dev.teeflow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.hash.Hashing;
import dev.teeflow.engine.model.Pipeline;
import dev.teeflow.engine.plan.Plan;
import dev.teeflow.engine.plan.PlannedStep;
import dev.teeflow.engine.secret.Redactor;
import dev.teeflow.engine.spi.StepCost;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code plan --saved FILE} and {@code apply FILE}: a plan written with what it was made from (the
 * pipeline file's digest, the parameters' digest, each step's action and the digests of its inputs, its
 * upstream outputs and its recorded state, and the prices), and the check that the world has not moved
 * before it is applied. Only digests and what the plan prints are written, never a value of an input:
 * the file may be a CI artifact.
 */
final class SavedPlan {
    static final String SCHEMA = "teeflow.saved-plan/v1";
    /** The gas of an apply may cost this much more than the approved plan said (the gas price moves every block). */
    static final BigDecimal GAS_TOLERANCE = new BigDecimal("1.2");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SavedPlan() {
    }

    static void write(Path file, Plan plan, Pipeline pipeline, Map<String, String> params, List<String> targets,
                      List<String> replace, Redactor redactor) throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("schema", SCHEMA);
        doc.put("pipeline", plan.pipeline());
        doc.put("pipeline-file-sha256", fileDigest(pipeline));
        doc.put("params-sha256", paramsDigest(params));
        doc.put("targets", targets);
        doc.put("replace", replace);
        doc.put("steps", plan.steps().stream().map(s -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("address", s.address());
            row.put("type", s.type());
            row.put("action", s.action().label());
            row.put("reason", s.reason());
            if (s.fingerprint() != null) {
                row.put("inputs", s.fingerprint().inputs());
                row.put("upstream", s.fingerprint().upstream());
                row.put("state", s.fingerprint().state());
            }
            StepCost.Amount pay = s.action().willRun() && s.cost() != null ? s.cost().payment() : null;
            if (pay != null) {
                row.put("payment-nrlc", pay.value() == null ? null : pay.value().toString());
                row.put("payment-kind", pay.kind().name().toLowerCase(java.util.Locale.ROOT));
            }
            return row;
        }).toList());
        doc.put("cost", CostForecast.of(plan).toJson());
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, redactor.redact(JSON.writeValueAsString(doc)));
    }

    /** The saved plan in {@code file}; a file that is not one is a clear error. */
    static JsonNode read(Path file) {
        JsonNode doc;
        try {
            doc = JSON.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new TeeflowException("cannot read the saved plan " + file + ": " + e.getMessage());
        }
        if (doc == null || !SCHEMA.equals(doc.path("schema").asText())) {
            throw new TeeflowException(file + " is not a saved plan of this teeflow (schema " + SCHEMA
                    + "); write one with 'teeflow plan --saved " + file + "'");
        }
        return doc;
    }

    static List<String> list(JsonNode doc, String field) {
        List<String> out = new ArrayList<>();
        doc.path(field).forEach(n -> out.add(n.asText()));
        return out;
    }

    /** Why the saved plan may not be applied any more (the world moved), or empty when it still holds. */
    static Optional<String> moved(JsonNode saved, Plan now, Pipeline pipeline, Map<String, String> params) {
        if (!saved.path("pipeline").asText().equals(now.pipeline())) {
            return Optional.of("it is a plan of pipeline '" + saved.path("pipeline").asText() + "', not of '" + now.pipeline() + "'");
        }
        if (!saved.path("pipeline-file-sha256").asText().equals(fileDigest(pipeline))) {
            return Optional.of("the pipeline file " + pipeline.file().getFileName() + " changed since the plan was saved");
        }
        if (!saved.path("params-sha256").asText().equals(paramsDigest(params))) {
            return Optional.of("the parameters (-p) differ from the ones the plan was made with");
        }
        Map<String, JsonNode> before = new LinkedHashMap<>();
        saved.path("steps").forEach(s -> before.put(s.path("address").asText(), s));
        List<String> nowAddresses = now.steps().stream().map(PlannedStep::address).toList();
        if (!new ArrayList<>(before.keySet()).equals(nowAddresses)) {
            return Optional.of("the steps differ from the plan's");
        }
        for (PlannedStep s : now.steps()) {
            JsonNode b = before.get(s.address());
            if (s.fingerprint() != null) {
                if (!b.path("state").asText().equals(s.fingerprint().state())) {
                    return Optional.of("the state of " + s.address() + " changed since the plan was saved (another apply?)");
                }
                if (!b.path("inputs").asText().equals(s.fingerprint().inputs())) {
                    return Optional.of("an input of " + s.address() + " changed since the plan was saved");
                }
                if (!b.path("upstream").asText().equals(s.fingerprint().upstream())) {
                    return Optional.of("an upstream output that " + s.address() + " reads changed since the plan was saved");
                }
            }
            if (!b.path("action").asText().equals(s.action().label())) {
                return Optional.of(s.address() + " was planned to " + b.path("action").asText() + ", now it would "
                        + s.action().label() + " (" + s.reason() + ")");
            }
            StepCost.Amount pay = s.action().willRun() && s.cost() != null ? s.cost().payment() : null;
            String nrlc = pay == null || pay.value() == null ? null : pay.value().toString();
            String savedNrlc = b.path("payment-nrlc").isMissingNode() || b.path("payment-nrlc").isNull() ? null
                    : b.path("payment-nrlc").asText();
            if (!java.util.Objects.equals(nrlc, savedNrlc)
                    || !b.path("payment-kind").asText("").equals(pay == null ? "" : pay.kind().name().toLowerCase(java.util.Locale.ROOT))) {
                return Optional.of("the price of " + s.address() + " changed: the plan said " + (savedNrlc == null ? "no known price" : savedNrlc + " nRLC")
                        + ", the orders now say " + (nrlc == null ? "no known price" : nrlc + " nRLC"));
            }
        }
        BigInteger savedWei = new BigInteger(saved.path("cost").path("gas-wei").asText("0"));
        BigInteger nowWei = CostForecast.of(now).knownWei();
        if (new BigDecimal(nowWei).compareTo(new BigDecimal(savedWei).multiply(GAS_TOLERANCE)) > 0) {
            return Optional.of("the gas of this apply now costs about " + CostForecast.eth(nowWei) + ", more than 1.2 times the "
                    + CostForecast.eth(savedWei) + " the plan said (the gas price rose)");
        }
        return Optional.empty();
    }

    private static String fileDigest(Pipeline pipeline) {
        if (pipeline.file() == null) {
            return "none";
        }
        try {
            return Hashing.sha256Hex(Files.readAllBytes(pipeline.file()));
        } catch (IOException e) {
            throw new TeeflowException("cannot read " + pipeline.file() + ": " + e.getMessage());
        }
    }

    private static String paramsDigest(Map<String, String> params) {
        return Hashing.sha256Hex(new TreeMap<>(params).toString());
    }
}
