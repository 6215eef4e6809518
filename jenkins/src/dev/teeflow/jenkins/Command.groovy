package dev.teeflow.jenkins

import com.cloudbees.groovy.cps.NonCPS

/**
 * Turns a teeflow(...) call's settings into one shell line. Everything the Jenkinsfile author wrote
 * (file, params, step addresses) is quoted as literal text; a value that must come from a credential is
 * written as an environment reference ("$NAME") that the shell expands at run time, so Groovy never sees
 * a secret and never pastes one into a script.
 */
class Command implements Serializable {
    private static final long serialVersionUID = 1L

    /** The settings a call may give, with their defaults (see vars/teeflow.txt). */
    static final Map DEFAULTS = [
            command      : 'plan',
            file         : 'teeflow.yml',
            params       : [:],
            credentials  : [],
            target       : null,
            wallet       : null,
            lockResource : null,
            archive      : true,
            steps        : [],
            extraArgs    : [],
            launcher     : 'teeflow',
            dir          : null,
            teeflowVersion : null,
            releaseUrl   : null,
            state        : [:],
            lockTimeout  : null,
            savedPlan    : null,
    ].asImmutable()

    static final List COMMANDS = ['plan', 'apply', 'validate'].asImmutable()

    /** The call's settings over the defaults; unknown keys and bad values are refused by name. */
    @NonCPS
    static Map withDefaults(Map config) {
        Map given = config ?: [:]
        List unknown = given.keySet().findAll { !DEFAULTS.containsKey(it) }.collect { it.toString() }
        if (unknown) {
            throw new IllegalArgumentException("teeflow: unknown setting(s) ${unknown.join(', ')}; known: ${DEFAULTS.keySet().join(', ')}")
        }
        Map c = [:] + DEFAULTS + given
        if (!COMMANDS.contains(c.command)) {
            throw new IllegalArgumentException("teeflow: command must be one of ${COMMANDS.join(', ')}, not '${c.command}'")
        }
        if (!(c.state instanceof Map)) {
            throw new IllegalArgumentException('teeflow: state must be a map such as [backend: \'postgres\', url: \'postgresql://...\', password: \'env:PG_PASSWORD\']')
        }
        if (!(c.params instanceof Map)) {
            throw new IllegalArgumentException('teeflow: params must be a map of name to value, e.g. [greeting: \'Hello\']')
        }
        if (c.teeflowVersion != null) {
            if (!(c.teeflowVersion.toString() ==~ RELEASE_VERSION)) {
                throw new IllegalArgumentException("teeflow: teeflowVersion must be a release version such as '1.2.3', not '${c.teeflowVersion}'")
            }
            if (given.containsKey('launcher')) {
                throw new IllegalArgumentException('teeflow: set launcher or teeflowVersion, not both')
            }
        }
        if (c.savedPlan && c.command == 'validate') {
            throw new IllegalArgumentException('teeflow: savedPlan goes with plan (writes it) or apply (applies it), not validate')
        }
        if (c.savedPlan && c.command == 'apply' && c.steps) {
            throw new IllegalArgumentException('teeflow: steps belong to the plan that wrote savedPlan; apply uses the plan\'s own')
        }
        c.lockResource = c.lockResource ?: lockResourceFor(c.target, c.wallet)
        return c
    }

    /** A release's version, as scripts/install-release.sh accepts it. */
    static final String RELEASE_VERSION = /[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.+-]+)?/

    /**
     * The shell line that installs release teeflowVersion with the library's install-release.sh (written to
     * script): it checks the archive's sha256 and prints the path of its bin/teeflow last.
     */
    @NonCPS
    static String installLine(Map c, String script) {
        String line = "bash ${quote(script)} ${quote(c.teeflowVersion.toString())}"
        return c.releaseUrl ? "TEEFLOW_RELEASE_URL=${quote(c.releaseUrl.toString())} ${line}" : line
    }

    /** The launcher the install line printed on its last line. */
    @NonCPS
    static String installedLauncher(String stdout) {
        String last = (stdout ?: '').readLines().findAll { it.trim() }.with { it ? it.last().trim() : '' }
        if (!last.endsWith('/bin/teeflow')) {
            throw new IllegalStateException("teeflow: installing the release printed no launcher path (got '${last}')")
        }
        return last
    }

    /** One lock per chain and wallet: two jobs never send transactions from one wallet at once. */
    @NonCPS
    static String lockResourceFor(Object target, Object wallet) {
        return "teeflow-${target ?: 'default-target'}-${wallet ?: 'default-wallet'}".toString()
    }

    /**
     * The withCredentials bindings, as maps the pipeline turns into string(...), file(...) or
     * usernamePassword(...). Each entry: [id: 'jenkins-credential-id', variable: 'ENV_NAME'] (secret text),
     * [type: 'file', id:, variable:], or [type: 'usernamePassword', id:, usernameVariable:, passwordVariable:].
     */
    @NonCPS
    static List<Map> credentialBindings(List credentials) {
        return (credentials ?: []).collect { Object entry ->
            if (!(entry instanceof Map)) {
                throw new IllegalArgumentException('teeflow: each credentials entry must be a map such as [id: \'wallet-password\', variable: \'WALLET_PASSWORD\']')
            }
            Map e = (Map) entry
            String type = (e.type ?: 'string').toString()
            if (!e.id) {
                throw new IllegalArgumentException("teeflow: a credentials entry has no id: ${e.keySet()}")
            }
            switch (type) {
                case 'string':
                case 'file':
                    return [type: type, credentialsId: e.id.toString(), variable: envName(e.variable, 'variable')]
                case 'usernamePassword':
                    return [type: type, credentialsId: e.id.toString(),
                            usernameVariable: envName(e.usernameVariable, 'usernameVariable'),
                            passwordVariable: envName(e.passwordVariable, 'passwordVariable')]
                default:
                    throw new IllegalArgumentException("teeflow: credentials type must be string, file or usernamePassword, not '${type}'")
            }
        }
    }

    /** The arguments after the launcher, each a piece of shell text already quoted. */
    @NonCPS
    static List<String> arguments(Map c, String command = null, boolean json = false) {
        List<String> args = [quote(command ?: c.command.toString()), quote('--no-color')]
        if (c.file) {
            args << quote('--file') << quote(c.file.toString())
        }
        c.params.each { k, v ->
            args << quote('--param') << paramValue(k.toString(), v)
        }
        String cmd = command ?: c.command
        if (cmd != 'validate' && !(cmd == 'apply' && c.savedPlan)) {
            (c.steps ?: []).each { args << quote('--target') << quote(it.toString()) }
        }
        if (c.savedPlan && cmd == 'plan' && !json) {
            args << quote('--saved') << quote(c.savedPlan.toString())
        }
        args.addAll(stateArguments(c.state as Map))
        if (c.lockTimeout && (command ?: c.command) == 'apply') {
            args << quote('--lock-timeout') << quote(c.lockTimeout.toString())
        }
        (c.extraArgs ?: []).each { args << quote(it.toString()) }
        if (json) {
            args << quote('--json')
        }
        if (c.savedPlan && cmd == 'apply') {
            args << quote(c.savedPlan.toString())
        }
        return args
    }

    /**
     * The state backend's settings as --state-backend, --state-passphrase, --state-key and --state-config
     * KEY=VALUE, each quoted literally: credentials are given as references ('env:NAME', bound with
     * withCredentials), which teeflow itself resolves, so no secret is ever in the script.
     */
    @NonCPS
    static List<String> stateArguments(Map state) {
        List<String> args = []
        (state ?: [:]).each { k, v ->
            String key = k.toString()
            if (!(key ==~ /[a-z][a-z0-9-]*/)) {
                throw new IllegalArgumentException("teeflow: state setting '${key}' must be lower-case letters, digits or '-'")
            }
            switch (key) {
                case 'backend':
                    args << quote('--state-backend') << quote(String.valueOf(v))
                    break
                case 'passphrase':
                    args << quote('--state-passphrase') << quote(String.valueOf(v))
                    break
                case 'key':
                    args << quote('--state-key') << quote(String.valueOf(v))
                    break
                default:
                    args << quote('--state-config') << quote(key + '=' + String.valueOf(v))
            }
        }
        return args
    }

    /** The whole shell line: the launcher and its quoted arguments. */
    @NonCPS
    static String shellLine(Map c, String command = null, boolean json = false) {
        return ([quote(c.launcher.toString())] + arguments(c, command, json)).join(' ')
    }

    /**
     * NAME=VALUE for --param: a plain value is quoted literally; [env: 'VAR'] becomes "$VAR" expanded by
     * the shell, for values that come from a credential.
     */
    @NonCPS
    static String paramValue(String name, Object value) {
        if (!(name ==~ /[A-Za-z_][A-Za-z0-9_.-]*/)) {
            throw new IllegalArgumentException("teeflow: param name '${name}' must be letters, digits, '_', '.' or '-'")
        }
        if (value instanceof Map && ((Map) value).containsKey('env')) {
            return quote(name + '=') + '"$' + envName(((Map) value).env, "params.${name}.env") + '"'
        }
        return quote(name + '=' + String.valueOf(value))
    }

    @NonCPS
    static String envName(Object name, String field) {
        String n = name == null ? '' : name.toString()
        if (!(n ==~ /[A-Za-z_][A-Za-z0-9_]*/)) {
            throw new IllegalArgumentException("teeflow: ${field} must be an environment variable name, got '${n}'")
        }
        return n
    }

    /** POSIX single quotes: nothing inside is expanded; a quote in the text is closed, escaped, reopened. */
    @NonCPS
    static String quote(String s) {
        return "'" + s.replace("'", "'\"'\"'") + "'"
    }
}
