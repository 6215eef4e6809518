// The same pipeline as app-dataset.yml, written with closures.
def dir = '.'
pipeline {
    apiVersion 'teeflow/v1'
    kind 'Pipeline'
    name 'email-checker'
    'allow-outside-paths'(false)
    params {
        tag '1.0.0'
        heap {
            'default'('2G')
            description 'enclave heap'
        }
    }
    app('checker') {
        build {
            context dir
            dockerfile 'Docker' + 'file'
            args(['--tag', '${{ params.tag }}', 3, 1.5, true, null])
        }
        tee(framework: 'scone', heap: '${{ params.heap }}', debug: true)
    }
    app('other') {
        build { context 'other' }
    }
    dataset('emails') {
        file 'datasets/emails.xlsx'
        key 'env:DATASET_KEY'
        replicas 2
    }
    steps {
        report {
            type 'command'
            with {
                command(['echo', '${{ app.checker.tee.out }}', "\${{ env.HOME_DIR || '/home/none' }}"])
                settings {
                    retries 3
                    labels(team: 'core')
                    items([[a: 1], { b 'x' }])
                }
            }
            needs 'app.checker.build'
        }
    }
}
