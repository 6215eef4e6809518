package dev.teeflow.cli;

import dev.teeflow.engine.plan.Plan;
import dev.teeflow.engine.plan.PlannedStep;
import java.util.HashMap;
import java.util.Map;

/** The plan as a Mermaid or Graphviz DOT graph, each node labelled with its planned action. */
final class GraphRenderer {
    private GraphRenderer() {
    }

    static String mermaid(Plan plan) {
        Map<String, String> ids = ids(plan);
        StringBuilder sb = new StringBuilder("flowchart LR\n");
        for (PlannedStep s : plan.steps()) {
            sb.append("  ").append(ids.get(s.address())).append("[\"").append(escape(s.address()))
                    .append("<br/><i>").append(s.action().label()).append("</i>\"]:::")
                    .append(s.action().name().toLowerCase().replace('_', '-')).append('\n');
        }
        for (PlannedStep s : plan.steps()) {
            for (String up : s.upstream()) {
                if (ids.containsKey(up)) {
                    sb.append("  ").append(ids.get(up)).append(" --> ").append(ids.get(s.address())).append('\n');
                }
            }
        }
        sb.append("  classDef up-to-date fill:#eee,stroke:#999;\n");
        sb.append("  classDef create fill:#dfd,stroke:#393;\n");
        sb.append("  classDef rerun fill:#ffd,stroke:#cc3;\n");
        sb.append("  classDef replace fill:#fed,stroke:#c63;\n");
        sb.append("  classDef resume fill:#ddf,stroke:#33c;\n");
        sb.append("  classDef blocked fill:#fdd,stroke:#c33;\n");
        return sb.toString();
    }

    static String dot(Plan plan) {
        StringBuilder sb = new StringBuilder("digraph \"" + escape(plan.pipeline()) + "\" {\n  rankdir=LR;\n  node [shape=box];\n");
        for (PlannedStep s : plan.steps()) {
            String colour = switch (s.action()) {
                case UP_TO_DATE -> "gray";
                case CREATE -> "green";
                case RERUN -> "orange";
                case REPLACE -> "darkorange";
                case RESUME -> "blue";
                case REVOKE -> "purple";
                case BLOCKED -> "red";
            };
            sb.append("  \"").append(escape(s.address())).append("\" [label=\"").append(escape(s.address()))
                    .append("\\n").append(s.action().label()).append("\", color=").append(colour).append("];\n");
        }
        for (PlannedStep s : plan.steps()) {
            for (String up : s.upstream()) {
                sb.append("  \"").append(escape(up)).append("\" -> \"").append(escape(s.address())).append("\";\n");
            }
        }
        return sb.append("}\n").toString();
    }

    private static Map<String, String> ids(Plan plan) {
        Map<String, String> ids = new HashMap<>();
        int i = 0;
        for (PlannedStep s : plan.steps()) {
            ids.put(s.address(), "s" + i++);
        }
        return ids;
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "'");
    }
}
