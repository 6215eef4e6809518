// examples/email-checker/teeflow.yml written with the Groovy DSL: the same steps, the same plan.
// Run it with: teeflow apply -f teeflow.groovy
pipeline {
    apiVersion 'teeflow/v1'
    kind 'Pipeline'
    name 'email-checker'
    description 'The iExec confidential-computing tutorial in one file: build the app, make it a TEE app, push it, ' +
            'make and encrypt the dataset, publish it through git, deploy both, push the dataset key, the requester ' +
            'secret and the result encryption key, run the task with an encrypted result, fetch and decrypt it.\n'

    target 'devnet'
    wallet 'devnet'

    params {
        'git-host' '${{ env.TEEFLOW_GIT_HOST || \'http://127.0.0.1:8549\' }}'
        registry '${{ env.TEEFLOW_REGISTRY || \'127.0.0.1:5000\' }}'
    }

    steps {
        'emails-xlsx' {
            type 'command'
            with {
                run 'mkdir -p datasets/original && docker run --rm -v "$PWD:/work" -w /work -u "$(id -u):$(id -g)" ' +
                        'teeflow/python3:bookworm python3 tools/make_emails.py datasets/original/emails.xlsx\n'
                inputs(['tools/make_emails.py'])
                outputs(xlsx: 'datasets/original/emails.xlsx')
            }
        }
    }

    app('checker') {
        build(context: '.', dockerfile: 'Dockerfile')
        tee {
            framework 'tdx'
        }
        push(repository: '${{ params.registry }}/email-checker', tag: '1.0.0')
        deploy true
    }

    dataset('emails') {
        file '${{ emails-xlsx.xlsx }}'
        publish {
            git {
                remote '${{ params.git-host }}/devnet/email-checker-data.git'
                url '${{ params.git-host }}/{owner}/{repo}/raw/{branch}/{path}'
                path 'emails.xlsx.enc'
                verify true
            }
        }
        deploy true
    }

    secrets {
        my_email(value: 'env:MY_EMAIL', versioned: true)
    }

    result {
        encryption true
    }

    run('check') {
        app 'checker'
        dataset 'emails'
        secrets('1': 'my_email')
        args(['--verbose'])
        'encrypt-result' true
        fetch(to: 'out/')
    }
}
