#!/usr/bin/env bash
# Start the S3 service the S3 tests run against -- OpenStack Swift's S3 API from
# Debian's packages (../shared/tools/s3-swift/start.sh, ~20 s, as root) -- unless
# one already answers, then create the bucket the whole suite uses.
#
#   tests/s3/start.sh && eval "$(tests/s3/start.sh --env)"   # or export the printed variables
#   tests/s3/stop.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
TOOLS=${SWIFT_TOOLS:-../shared/tools/s3-swift}
ENDPOINT=${XUNCHA_TEST_S3_ENDPOINT:-http://127.0.0.1:8080}
BUCKET=${XUNCHA_TEST_S3_BUCKET:-xuncha-test}
PY=${PY:-.venv/bin/python}

if [ "${1:-}" = "--env" ]; then
    cat <<VARS
export XUNCHA_TEST_S3_ENDPOINT='$ENDPOINT'
export STORAGE_URL='s3://$BUCKET?endpoint=$ENDPOINT&region=us-east-1&addressing=path'
export AWS_ACCESS_KEY_ID='${AWS_ACCESS_KEY_ID:-test:tester}' AWS_SECRET_ACCESS_KEY='${AWS_SECRET_ACCESS_KEY:-testing}'
VARS
    exit 0
fi

if ! "$PY" tests/s3/bucket.py --ping "$ENDPOINT"; then
    "$TOOLS/start.sh"
fi
"$PY" tests/s3/bucket.py "$ENDPOINT" "$BUCKET"
