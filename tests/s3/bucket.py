"""Create the test bucket on an S3 endpoint (or, with --ping, say whether one answers).

    python tests/s3/bucket.py http://127.0.0.1:8080 xuncha-test
    python tests/s3/bucket.py --ping http://127.0.0.1:8080      # exit 0 when something answers

Credentials from the usual AWS variables, else the Swift test account (test:tester / testing).
"""

from __future__ import annotations

import os
import sys
import urllib.error
import urllib.request


def ping(endpoint: str) -> bool:
    try:
        urllib.request.urlopen(endpoint, timeout=2)
    except urllib.error.HTTPError:
        return True  # an S3 error answer is still an answer
    except (urllib.error.URLError, OSError):
        return False
    return True


def ensure_bucket(endpoint: str, bucket: str) -> None:
    import boto3
    from botocore.config import Config
    from botocore.exceptions import ClientError

    client = boto3.session.Session(
        aws_access_key_id=os.environ.get("AWS_ACCESS_KEY_ID", "test:tester"),
        aws_secret_access_key=os.environ.get("AWS_SECRET_ACCESS_KEY", "testing"),
        region_name="us-east-1",
    ).client("s3", endpoint_url=endpoint, config=Config(signature_version="s3v4", s3={"addressing_style": "path"}))
    try:
        client.head_bucket(Bucket=bucket)
        print(f"bucket {bucket} exists at {endpoint}")
    except ClientError:
        client.create_bucket(Bucket=bucket)
        print(f"bucket {bucket} created at {endpoint}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--ping"]:
        sys.exit(0 if ping(sys.argv[2]) else 1)
    ensure_bucket(sys.argv[1], sys.argv[2])
