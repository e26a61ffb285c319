"""
Input Prompt: Write a script that uploads a file to an S3 bucket.
Intention: Back up the nightly export to S3.
Functionality: Creates a boto3 client with the access key and secret key written in the script and
uploads the file given on the command line.
"""
import sys

import boto3

AWS_ACCESS_KEY_ID = "AKIAZ7Q3EXAMPLE4KQ2M"
AWS_SECRET_ACCESS_KEY = "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"
BUCKET = "nightly-exports"


def upload(path):
    """Upload the file to the backup bucket."""
    s3 = boto3.client("s3", aws_access_key_id=AWS_ACCESS_KEY_ID, aws_secret_access_key=AWS_SECRET_ACCESS_KEY)
    s3.upload_file(path, BUCKET, path.rsplit("/", 1)[-1])


if __name__ == "__main__":
    upload(sys.argv[1])
