package dev.teeflow.actions.app;

import dev.teeflow.engine.config.ConfigNode;
import java.util.Locale;

/**
 * An app whose image was built and pushed elsewhere (by the iExec CLI's tutorial, by another CI): its block
 * has no {@code build:}, {@code tee:} or {@code push:} and its {@code deploy:} names the image itself
 * ({@code multiaddr}, {@code checksum}, optional {@code mrenclave}). teeflow then builds nothing for it and
 * deploys exactly those values.
 */
public final class PrebuiltApp {
    private PrebuiltApp() {
    }

    public static boolean is(ConfigNode app) {
        if (app == null || !app.isMap() || app.get("build") != null || app.get("tee") != null || app.get("push") != null) {
            return false;
        }
        ConfigNode deploy = app.get("deploy");
        return deploy != null && deploy.isMap() && deploy.get("multiaddr") != null && deploy.get("checksum") != null;
    }

    /** The TEE framework the image was made for: SCONE when its mrenclave says so, else TDX (empty mrenclave). */
    public static String framework(ConfigNode app) {
        ConfigNode mrenclave = app.get("deploy").get("mrenclave");
        String text = mrenclave == null || mrenclave.value() == null ? "" : mrenclave.value().toString();
        return text.toUpperCase(Locale.ROOT).replace(" ", "").contains("\"FRAMEWORK\":\"SCONE\"") ? "scone" : "tdx";
    }
}
