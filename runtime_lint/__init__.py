"""runtime-lint: lint the Astro Runtime base images of Astronomer Airflow projects."""

__version__ = "0.2.0"
