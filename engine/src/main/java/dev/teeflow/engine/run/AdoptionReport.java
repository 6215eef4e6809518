package dev.teeflow.engine.run;

import java.util.List;

/** What {@code teeflow import} did with each step: adopted it, found it up to date, left it to apply, or refused it. */
public record AdoptionReport(List<Row> rows) {
    public enum Outcome {
        /** Found out there as the pipeline describes it, and recorded: apply will not do it again. */
        ADOPTED,
        /** Already recorded and up to date. */
        UP_TO_DATE,
        /** Not adopted, and nothing is wrong: apply does it (it only works on this machine, or it is not out there yet). */
        LEFT_TO_APPLY,
        /** What is out there differs from the pipeline, or could not be checked: nothing recorded for it. */
        REFUSED
    }

    public record Row(String address, String type, Outcome outcome, String reason) {
    }

    public AdoptionReport {
        rows = List.copyOf(rows);
    }

    public long count(Outcome outcome) {
        return rows.stream().filter(r -> r.outcome() == outcome).count();
    }

    public boolean refusedAny() {
        return count(Outcome.REFUSED) > 0;
    }
}
