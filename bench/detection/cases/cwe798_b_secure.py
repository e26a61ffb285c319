"""
Input Prompt: Write a script that uploads a file to an S3 bucket.
Intention: Back up the nightly export to S3.
Functionality: Creates a boto3 client that takes its credentials from the standard AWS credential
chain (environment, profile or instance role) and uploads the file given on the command line.
"""
import sys

import boto3

BUCKET = "nightly-exports"


def upload(path):
    """Upload the file to the backup bucket."""
    s3 = boto3.client("s3")
    s3.upload_file(path, BUCKET, path.rsplit("/", 1)[-1])


if __name__ == "__main__":
    upload(sys.argv[1])
