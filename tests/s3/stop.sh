#!/usr/bin/env bash
# Stop the Swift S3 service started by tests/s3/start.sh (only the processes it recorded).
# WIPE=1 also deletes its data.
set -euo pipefail
cd "$(dirname "$0")/../.."
exec "${SWIFT_TOOLS:-../shared/tools/s3-swift}/stop.sh"
