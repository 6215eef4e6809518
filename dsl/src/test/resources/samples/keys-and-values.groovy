pipeline {
    apiVersion 'teeflow/v1'
    kind 'Pipeline'
    name 'keys-and-values'
    steps {
        'run-it' {
            type 'command'
            with(sleep: 1) {
                command(['run'])
                'encrypt-result'(true)
                secrets(1: 'my_email', 2: 'env:OTHER')
                token { secret 'file:token.txt' }
                quoted 'true'
                negative(-5)
                big 12345678901234567890
                ratio 0.25
                empty null
                nested([['a', 'b'], [], [:]])
                with {
                    find 1
                    each 2
                    collect 3
                    use 4
                    identity 5
                }
                run {
                    check {
                        app 'checker'
                        args(['--verbose'])
                    }
                }
            }
        }
    }
}
