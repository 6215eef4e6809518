// examples/hello/teeflow.yml written with the Groovy DSL: the same steps, the same plan.
pipeline {
    apiVersion 'teeflow/v1'
    kind 'Pipeline'
    name 'hello'
    description 'A pipeline of plain command steps, to see how teeflow plans and caches.'

    params {
        greeting 'Hello'
    }

    steps {
        words {
            type 'command'
            with {
                run "tr 'a-z' 'A-Z' < src/words.txt > build/words.txt"
                inputs(['src/words.txt'])
                outputs(text: 'build/words.txt')
            }
        }
        count {
            type 'command'
            with {
                run 'wc -w < build/words.txt > build/count.txt'
                inputs(['${{ words.text }}'])
                outputs(text: 'build/count.txt')
            }
        }
        greet {
            type 'command'
            with {
                command(['sh', '-c', 'echo "${{ params.greeting }}, $(cat build/words.txt) ($(cat build/count.txt) words)"'])
                inputs(['${{ words.text }}', '${{ count.text }}'])
            }
        }
        page {
            type 'file'
            with {
                path 'build/index.html'
                content '<h1>${{ greet.stdout }}</h1>'
            }
        }
    }
}
