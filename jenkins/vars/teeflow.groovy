import dev.teeflow.jenkins.Command

/**
 * teeflow(command: 'plan' | 'apply' | 'validate', file: 'teeflow.yml', params: [:], credentials: [...],
 *         target: 'bellecour', wallet: 'ci-wallet', lockResource: ..., archive: true,
 *         teeflowVersion: '1.2.3', savedPlan: 'teeflow.plan') { optional body }
 *
 * Settings are merged over Command.DEFAULTS; see teeflow.txt. Credentials are bound only with
 * withCredentials and reach teeflow as environment variables; every sh script is built from quoted
 * literal text, never by interpolating a value into a Groovy string. The optional body runs after the
 * command, with the same credentials and (for apply) inside the same lock.
 */
def call(Map config = [:], Closure body = null) {
    Map c = Command.withDefaults(config)
    if (c.teeflowVersion) {
        c.launcher = installRelease(c)
    }
    if (c.dir) {
        dir(c.dir.toString()) {
            runTeeflow(c, body)
        }
    } else {
        runTeeflow(c, body)
    }
}

/** Installs release teeflowVersion on the agent (checksum verified, reused once installed); its launcher. */
private String installRelease(Map c) {
    String script = pwd(tmp: true) + '/teeflow-install-release.sh'
    writeFile(file: script, text: libraryResource('dev/teeflow/jenkins/install-release.sh'))
    String out = sh(script: Command.installLine(c, script), label: 'install teeflow ' + c.teeflowVersion, returnStdout: true)
    return Command.installedLauncher(out)
}

private void runTeeflow(Map c, Closure body) {
    List bindings = []
    for (Map b : Command.credentialBindings(c.credentials)) {
        bindings.add(credentialBinding(b))
    }
    if (c.command == 'apply') {
        lock(resource: c.lockResource) {
            withCredentials(bindings) {
                sh(script: Command.shellLine(c), label: 'teeflow apply')
                if (body != null) {
                    body()
                }
            }
        }
        return
    }
    withCredentials(bindings) {
        if (c.command == 'plan') {
            // The JSON for programs and the table for people, both kept with the build.
            // The table first, so that an invalid pipeline's errors show in the log.
            // Jenkins runs sh with -e: keep the status, show the table, then fail if plan failed.
            // A failed plan's table is archived too: it is what a reviewer opens first.
            try {
                sh(script: 'status=0; ' + Command.shellLine(c, 'plan') + ' > teeflow-plan.txt 2>&1 || status=$?; cat teeflow-plan.txt; exit $status',
                        label: 'teeflow plan')
                sh(script: Command.shellLine(c, 'plan', true) + ' > teeflow-plan.json', label: 'teeflow plan (JSON)')
            } finally {
                if (c.archive) {
                    archiveArtifacts(artifacts: 'teeflow-plan.json,teeflow-plan.txt' + (c.savedPlan ? ',' + c.savedPlan : ''),
                            fingerprint: true, allowEmptyArchive: true)
                }
            }
        } else {
            sh(script: Command.shellLine(c), label: 'teeflow ' + c.command)
        }
        if (body != null) {
            body()
        }
    }
}

private Object credentialBinding(Map b) {
    switch (b.type) {
        case 'file':
            return file(credentialsId: b.credentialsId, variable: b.variable)
        case 'usernamePassword':
            return usernamePassword(credentialsId: b.credentialsId, usernameVariable: b.usernameVariable,
                    passwordVariable: b.passwordVariable)
        default:
            return string(credentialsId: b.credentialsId, variable: b.variable)
    }
}
