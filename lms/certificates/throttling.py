from lms.core.throttling import IPRateThrottle


class CertificateVerifyThrottle(IPRateThrottle):
    scope = "certificate_verify"
