"""Amazon SNS HTTP(S) deliveries signed as AWS signs them, by a certificate tests can trust.

moto signs with a throw-away self-signed key and points ``SigningCertURL`` at amazonaws.com, so no
verifier can check it. Here every message to an http(s) subscriber is signed with a key whose
certificate is issued by a test CA generated when the server starts (never stored in the repo):

- ``SignatureVersion`` 1 (SHA1withRSA, the AWS default) or 2 (SHA256withRSA), from the topic's
  ``SignatureVersion`` attribute; the canonical string is AWS's (the message's fields, in order,
  each as ``name\\nvalue\\n``; ``Subject`` only when present).
- ``SigningCertURL`` and ``SubscribeURL`` / ``UnsubscribeURL`` point at this server on loopback
  (``/_fledge/sns/...``); the CA certificate is served at ``/_fledge/sns/ca.pem`` and written to
  ``FLEDGE_MOTO_SNS_CA_FILE`` when that is set.
- Subscribing an http(s) endpoint sends it a signed ``SubscriptionConfirmation``; visiting its
  ``SubscribeURL`` confirms the subscription. Like stock moto (and unlike AWS), notifications are
  delivered before the confirmation, so a test does not depend on the receiver confirming.
- Deliveries carry AWS's ``x-amz-sns-*`` headers and ``Content-Type: text/plain``.
"""

import base64
import datetime
import json
import os
import secrets
import threading
from typing import Any

import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from moto.core.utils import iso_8601_datetime_with_milliseconds
from moto.moto_api._internal import mock_random
from moto.sns.models import SNSBackend, Subscription, sns_backends

CERT_NAME = "SimpleNotificationService-fledge-test.pem"


class TestPki:
    """A CA and one signing certificate issued by it, made fresh for each server run."""

    def __init__(self) -> None:
        now = datetime.datetime.now(datetime.timezone.utc)
        self.ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Fledge test SNS CA")])
        self.ca_cert = (
            x509.CertificateBuilder()
            .subject_name(ca_name)
            .issuer_name(ca_name)
            .public_key(self.ca_key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=False, content_commitment=False, key_encipherment=False,
                    data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
                    encipher_only=False, decipher_only=False,
                ),
                critical=True,
            )
            .sign(self.ca_key, hashes.SHA256())
        )
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.cert = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "sns.amazonaws.com")]))
            .issuer_name(ca_name)
            .public_key(self.key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CODE_SIGNING]), critical=False)
            .sign(self.ca_key, hashes.SHA256())
        )

    def ca_pem(self) -> bytes:
        return self.ca_cert.public_bytes(serialization.Encoding.PEM)

    def cert_pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)

    def sign(self, text: str, version: str) -> str:
        algorithm = hashes.SHA1() if version == "1" else hashes.SHA256()
        return base64.b64encode(self.key.sign(text.encode("utf-8"), padding.PKCS1v15(), algorithm)).decode()


PKI = TestPki()
_tokens: dict[str, str] = {}  # confirmation token -> subscription ARN
_lock = threading.Lock()

NOTIFICATION_FIELDS = ["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"]
CONFIRMATION_FIELDS = ["Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"]


def public_url() -> str:
    return os.environ.get("FLEDGE_MOTO_PUBLIC_URL") or f"http://127.0.0.1:{os.environ.get('MOTO_PORT', '5000')}"


def canonical_string(message: dict[str, Any]) -> str:
    fields = NOTIFICATION_FIELDS if message["Type"] == "Notification" else CONFIRMATION_FIELDS
    return "".join(f"{k}\n{message[k]}\n" for k in fields if message.get(k) is not None)


def _signed(message: dict[str, Any], version: str) -> dict[str, Any]:
    message["SignatureVersion"] = version
    message["Signature"] = PKI.sign(canonical_string(message), version)
    message["SigningCertURL"] = f"{public_url()}/_fledge/sns/{CERT_NAME}"
    return message


def _signature_version(topic: Any) -> str:
    return "2" if str(getattr(topic, "SignatureVersion", "1")) == "2" else "1"


def _post(subscription: Subscription, body: dict[str, Any]) -> None:
    headers = {
        "Content-Type": "text/plain; charset=UTF-8",
        "x-amz-sns-message-type": body["Type"],
        "x-amz-sns-message-id": body["MessageId"],
        "x-amz-sns-topic-arn": body["TopicArn"],
        "User-Agent": "Amazon Simple Notification Service Agent",
    }
    if body["Type"] == "Notification":
        headers["x-amz-sns-subscription-arn"] = subscription.arn
    try:
        requests.post(subscription.endpoint, data=json.dumps(body).encode("utf-8"), headers=headers, timeout=30)
    except requests.RequestException as error:
        print(f"fledge-moto: SNS delivery to {subscription.endpoint} failed: {error}", flush=True)


def get_post_data(
    self: Subscription,
    message: str,
    message_id: str,
    subject: str | None,
    message_attributes: dict[str, Any] | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "Type": "Notification",
        "MessageId": message_id,
        "TopicArn": self.topic.arn,
        "Message": message,
        "Timestamp": iso_8601_datetime_with_milliseconds(),
    }
    if subject:
        body["Subject"] = subject
    _signed(body, _signature_version(self.topic))
    body["UnsubscribeURL"] = f"{public_url()}/_fledge/sns/unsubscribe?SubscriptionArn={self.arn}"
    if message_attributes:
        body["MessageAttributes"] = message_attributes
    return body


def publish(self: Subscription, message: str, message_id: str, subject: str | None = None, **kwargs: Any) -> None:
    if self.protocol not in ("http", "https"):
        return _original["publish"](self, message, message_id, subject=subject, **kwargs)
    if self._filter_policy_matcher is not None and not self._filter_policy_matcher.matches(
        kwargs.get("message_attributes"), message
    ):
        return None
    if kwargs.get("message_structure") == "json":
        message = self._parse_message_structure(message, self.protocol)
    _post(self, self.get_post_data(message, message_id, subject, message_attributes=kwargs.get("message_attributes")))
    return None


def subscribe(self: SNSBackend, topic_arn: str, endpoint: str, protocol: str) -> Subscription:
    existing = self._find_subscription(topic_arn, endpoint, protocol)
    subscription = _original["subscribe"](self, topic_arn, endpoint, protocol)
    if existing is None and protocol in ("http", "https"):
        token = secrets.token_hex(32)
        with _lock:
            _tokens[token] = subscription.arn
        subscription.attributes["PendingConfirmation"] = "true"
        body = {
            "Type": "SubscriptionConfirmation",
            "MessageId": str(mock_random.uuid4()),
            "Token": token,
            "TopicArn": topic_arn,
            "Message": (
                f"You have chosen to subscribe to the topic {topic_arn}.\n"
                "To confirm the subscription, visit the SubscribeURL included in this message."
            ),
            "SubscribeURL": f"{public_url()}/_fledge/sns/confirm?TopicArn={topic_arn}&Token={token}",
            "Timestamp": iso_8601_datetime_with_milliseconds(),
        }
        _post(subscription, _signed(body, _signature_version(self.get_topic(topic_arn))))
    return subscription


def confirm(topic_arn: str, token: str) -> str | None:
    """Confirms the subscription a SubscribeURL names; the subscription ARN, or None if unknown."""
    with _lock:
        arn = _tokens.get(token)
    if arn is None:
        return None
    for backend in _all_backends():
        subscription = backend.subscriptions.get(arn)
        if subscription is not None and subscription.topic.arn == topic_arn:
            subscription.attributes["PendingConfirmation"] = "false"
            subscription.confirmed = True
            return arn
    return None


def unsubscribe(arn: str) -> bool:
    for backend in _all_backends():
        if arn in backend.subscriptions:
            backend.unsubscribe(arn)
            return True
    return False


def _all_backends() -> list[SNSBackend]:
    return [backend for account in sns_backends.values() for backend in account.values()]


_original: dict[str, Any] = {}


def install() -> None:
    _original["publish"] = Subscription.publish
    _original["subscribe"] = SNSBackend.subscribe
    Subscription.get_post_data = get_post_data
    Subscription.publish = publish
    SNSBackend.subscribe = subscribe
    ca_file = os.environ.get("FLEDGE_MOTO_SNS_CA_FILE")
    if ca_file:
        tmp = f"{ca_file}.tmp.{os.getpid()}"
        with open(tmp, "wb") as f:
            f.write(PKI.ca_pem())
        os.replace(tmp, ca_file)
