"""Fledge's server-side extension of moto 5.2.5 (see ../README.md): installed before moto serves."""

from . import cloudwatch_ext, sagemaker_ext, sns_ext


def install() -> None:
    sagemaker_ext.install()
    cloudwatch_ext.install()
    sns_ext.install()
