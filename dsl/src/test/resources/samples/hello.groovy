pipeline {
    apiVersion 'teeflow/v1'
    kind 'Pipeline'
    name 'hello'
    description 'two command steps'
    steps {
        greet {
            type 'command'
            with {
                command(['sh', '-c', 'echo hi > out.txt'])
                outputs(['out.txt'])
            }
        }
        shout {
            type 'command'
            with {
                command 'tr', 'a-z', 'A-Z'
                stdin '${{ greet.out }}'
                banner 'result: ${{ greet.out }}!'
            }
            needs(['greet'])
            always true
        }
    }
}
