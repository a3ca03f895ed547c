"""A small daily DAG, as `astro dev init` creates."""

from airflow.decorators import dag, task
from pendulum import datetime


@dag(start_date=datetime(2024, 1, 1), schedule="@daily", catchup=False, tags=["example"])
def example_etl() -> None:
    @task
    def extract() -> list[int]:
        return [1, 2, 3]

    @task
    def load(values: list[int]) -> None:
        print(sum(values))

    load(extract())


example_etl()
