package dev.teeflow.engine.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;

/**
 * Reads a step record of any layout teeflow ever wrote and brings it to {@link StepRecord#SCHEMA}, one
 * layout at a time (as Terraform upgrades its state file: version 1 to 2, then 2 to 3...). A record
 * that cannot be upgraded says precisely why; one of a newer layout is a {@link NewerStateException}.
 *
 * <p>To change the layout: bump {@link StepRecord#SCHEMA}, add an {@link Upgrader} from the old number at
 * the end of {@link #CHAIN}, and add a pair of records to the test data (src/test/resources/record-upgrades).
 */
public final class RecordUpgrades {
    /** Why a record of an older layout cannot be brought to today's. */
    public static final class CannotUpgrade extends IOException {
        CannotUpgrade(String message) {
            super(message);
        }
    }

    /** One layout step, from {@link #from()} to {@code from() + 1}, on the record's JSON tree. */
    interface Upgrader {
        int from();

        void upgrade(ObjectNode record) throws CannotUpgrade;
    }

    /** Schema 2 names the key scheme; every schema-1 record was keyed under scheme 1. */
    private static final class AddKeyScheme implements Upgrader {
        @Override
        public int from() {
            return 1;
        }

        @Override
        public void upgrade(ObjectNode record) throws CannotUpgrade {
            require(record, "address", "type", "key");
            if (!record.path("typeVersion").canConvertToInt()) {
                throw new CannotUpgrade("field 'typeVersion' is missing or not a number");
            }
            record.put("keyScheme", 1);
        }
    }

    private static final List<Upgrader> CHAIN = List.of(new AddKeyScheme());

    private RecordUpgrades() {
    }

    /** The record in {@code json}, upgraded to today's layout; {@code what} names it in errors. */
    public static StepRecord read(ObjectMapper mapper, byte[] json, String what) throws IOException {
        JsonNode tree = mapper.readTree(json);
        if (!(tree instanceof ObjectNode record)) {
            throw new CannotUpgrade("it is not a JSON object");
        }
        StepRecord r = mapper.treeToValue(upgrade(record, what), StepRecord.class);
        if (r.keyScheme() < 1) {
            throw new CannotUpgrade("field 'keyScheme' is missing or not a positive number");
        }
        return r;
    }

    /** {@code record} brought to {@link StepRecord#SCHEMA} in place. */
    static ObjectNode upgrade(ObjectNode record, String what) throws CannotUpgrade {
        JsonNode schemaNode = record.get("schema");
        if (schemaNode == null || !schemaNode.canConvertToInt()) {
            throw new CannotUpgrade("it has no layout number (field 'schema')");
        }
        int schema = schemaNode.asInt();
        if (schema > StepRecord.SCHEMA) {
            throw new NewerStateException(what, "record schema", schema, StepRecord.SCHEMA);
        }
        if (schema < CHAIN.get(0).from()) {
            throw new CannotUpgrade("record schema " + schema + " was never written by teeflow");
        }
        for (Upgrader u : CHAIN) {
            if (u.from() == schema) {
                try {
                    u.upgrade(record);
                } catch (CannotUpgrade e) {
                    throw new CannotUpgrade("cannot upgrade it from record schema " + schema + ": " + e.getMessage());
                }
                schema++;
                record.put("schema", schema);
            }
        }
        return record;
    }

    private static void require(ObjectNode record, String... textFields) throws CannotUpgrade {
        for (String f : textFields) {
            if (!record.path(f).isTextual()) {
                throw new CannotUpgrade("field '" + f + "' is missing or not text");
            }
        }
    }
}
