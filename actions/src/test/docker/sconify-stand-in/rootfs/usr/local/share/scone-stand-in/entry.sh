# Entrypoint of images made by the sconify stand-in (TEST DOUBLE).
if [ "${SCONE_HASH:-}" = "1" ]; then
  echo "$SCONE_STAND_IN_FINGERPRINT"
  exit 0
fi
exec /.scone-stand-in/busybox sh -c "exec $SCONE_STAND_IN_COMMAND \"\$@\"" sconified "$@"
