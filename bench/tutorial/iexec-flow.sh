#!/usr/bin/env bash
# The iExec tutorial scripted with the official CLI, step for step what examples/email-checker/teeflow.yml
# does, against the devnet: spreadsheet, image build + push, app deploy, dataset encrypt + publish through
# the devnet's git host + deploy + push-secret, requester secret, result encryption key, orders, run,
# download, decrypt. Run by bench/tutorial/run.sh in an empty folder that holds a copy of the example.
#
#   iexec-flow.sh IEXEC CHAIN_JSON DEVNET_JSON SECRET_NAME
# Env: MY_EMAIL, TEEFLOW_REGISTRY (default 127.0.0.1:5000), TEEFLOW_GIT_HOST (default: devnet.json gitHost).
set -euo pipefail
IEXEC=$1 CHAIN_JSON=$2 DEVNET_JSON=$3 SECRET_NAME=$4
REGISTRY="${TEEFLOW_REGISTRY:-127.0.0.1:5000}"
json() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2], {'d': d}))" "$@"; }
out() { python3 -c "import json,sys; d=json.loads(sys.stdin.read()); print(eval(sys.argv[1], {'d': d}))" "$1"; }
set_json() { python3 - "$@" <<'EOF'
import json, sys
path, section, *pairs = sys.argv[1:]
d = json.load(open(path))
for pair in pairs:
    k, v = pair.split("=", 1)
    d[section][k] = v
json.dump(d, open(path, "w"), indent=2)
EOF
}
iexec() { "$IEXEC" "$@" --raw; }

GIT_HOST="${TEEFLOW_GIT_HOST:-$(json "$DEVNET_JSON" "d['gitHost']")}"
USER_KEY="$(json "$DEVNET_JSON" "[a for a in d['accounts'] if isinstance(a, dict) and a.get('role') == 'user'][0]['privateKey']")"
WORKERPOOL="$(json "$DEVNET_JSON" "d['workerpool']")"

# 1. the tutorial's spreadsheet (the same generator as the pipeline)
mkdir -p datasets/original
docker run --rm -v "$PWD:/work" -w /work -u "$(id -u):$(id -g)" teeflow/python3:bookworm \
  python3 tools/make_emails.py datasets/original/emails.xlsx

# 2. the app image: build, push, digest (TDX needs no conversion step on the devnet)
image="$REGISTRY/email-checker-cli:1.0.0"
docker build -q -t "$image" . > /dev/null
docker push -q "$image" > /dev/null
digest="$(docker inspect --format '{{index .RepoDigests 0}}' "$image" | sed 's/.*@sha256://')"

# 3. the iExec project, wallet and chain
iexec init --skip-wallet > /dev/null
cp "$CHAIN_JSON" chain.json
iexec wallet import "$USER_KEY" --unencrypted --force > /dev/null

# 4. the app: init, fill in the image and its checksum, deploy (iexec 9 has no TEE option here: TDX is
#    chosen by the run's tag, as in the devnet's own CLI interop test)
iexec app init > /dev/null
# (an app's address comes from its owner, name, image and checksum: a second deploy of the same one is
#  refused, so a scripted re-run names each deploy apart, as a user bumping a version would)
set_json iexec.json app "name=email-checker-$(date +%s%N)" "multiaddr=$image" "checksum=0x$digest"
app="$(iexec app deploy | out "d['address']")"

# 5. the dataset: encrypt, publish through git, deploy, push its key
iexec dataset init --encrypted > /dev/null
enc="$(iexec dataset encrypt --force)"
enc_file="$(echo "$enc" | out "d['encryptedFiles'][0]['encrypted']")"
checksum="$(echo "$enc" | out "d['encryptedFiles'][0]['checksum']")"
key_file="$(echo "$enc" | out "d['encryptedFiles'][0]['key']")"
repo="email-checker-cli-$(date +%s%N)"
git init -q -b main publish
cp "$enc_file" publish/emails.xlsx.enc
git -C publish add emails.xlsx.enc
git -C publish -c user.name=bench -c user.email=bench@localhost commit -q -m dataset
git -C publish push -q "$GIT_HOST/devnet/$repo.git" main
url="$GIT_HOST/devnet/$repo/raw/main/emails.xlsx.enc"
curl -sf -o /dev/null "$url"
set_json iexec.json dataset "name=emails" "multiaddr=$url" "checksum=$checksum"
dataset="$(iexec dataset deploy | out "d['address']")"
iexec dataset push-secret "$dataset" --secret-path "$key_file" > /dev/null

# 6. the requester secret and the result encryption key
iexec requester push-secret "$SECRET_NAME" --secret-value "$MY_EMAIL" > /dev/null
iexec result generate-encryption-keypair --force > /dev/null
iexec result push-encryption-key --force-update > /dev/null

# 7. orders and the run
iexec order init --app --dataset > /dev/null
iexec order sign --app --dataset --skip-preflight-check > /dev/null
iexec order publish --app --dataset --skip-preflight-check --force > /dev/null
run="$(iexec app run "$app" --dataset "$dataset" --workerpool "$WORKERPOOL" --tag tee,tdx --secret "1=$SECRET_NAME" \
  --encrypt-result --args --verbose --skip-preflight-check --force --watch)"
task="$(echo "$run" | out "d['tasks'][0]['taskid']")"

# 8. download, decrypt, read
iexec task show "$task" --download encrypted-result.zip > /dev/null
clear="$(iexec result decrypt encrypted-result.zip --force | out "d['resultsPath']")"
python3 -c "import zipfile,sys; print(zipfile.ZipFile(sys.argv[1]).read('result.txt').decode().strip())" "$clear"
