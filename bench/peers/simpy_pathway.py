"""The peer of bench/sim.sh: the pathway model of bench/scenarios/simpy-peer.toml in SimPy 2.3
(Debian's python3-simpy), for timing against tendon's engine.

Poisson referrals at 60,000 a year; triage by 4 clinicians (exponential, mean 20 minutes); then 1 to
6 visits (uniform), each to one of 50 treating clinicians (exponential, mean 45 minutes), with an
exponential gap of mean 7 days between visits. Clinicians work at any time, first come first
served. One simulated year, in days. Prints `simpy_s=N referrals=N visits=N mean_wait_days=N`, where
simpy_s is the processor time of the simulation (the machine is shared, so wall time would measure
the neighbours too).

Usage: /usr/bin/python3 bench/peers/simpy_pathway.py [SEED]
"""
import random
import sys
import time

from SimPy.Simulation import (Process, Resource, activate, hold, initialize, now, release,
                              request, simulate)

REFERRALS_PER_DAY = 60000 / 365.0
TRIAGE_CLINICIANS = 4
TRIAGE_MEAN_DAYS = 20 / 1440.0
CLINICIANS = 50
VISIT_MEAN_DAYS = 45 / 1440.0
INTERVAL_MEAN_DAYS = 7.0
YEAR_DAYS = 364.0

stats = {"referrals": 0, "visits": 0, "first_waits": 0.0, "seen": 0}


class Patient(Process):
    def pathway(self, triage, clinicians):
        arrived = now()
        yield request, self, triage
        yield hold, self, random.expovariate(1 / TRIAGE_MEAN_DAYS)
        yield release, self, triage
        for visit in range(random.randint(1, 6)):
            if visit > 0:
                yield hold, self, random.expovariate(1 / INTERVAL_MEAN_DAYS)
            yield request, self, clinicians
            if visit == 0:
                stats["first_waits"] += now() - arrived
                stats["seen"] += 1
            stats["visits"] += 1
            yield hold, self, random.expovariate(1 / VISIT_MEAN_DAYS)
            yield release, self, clinicians


class Referrals(Process):
    def generate(self, triage, clinicians):
        while True:
            yield hold, self, random.expovariate(REFERRALS_PER_DAY)
            stats["referrals"] += 1
            patient = Patient()
            activate(patient, patient.pathway(triage, clinicians))


def main():
    random.seed(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
    began = time.process_time()
    initialize()
    triage = Resource(capacity=TRIAGE_CLINICIANS)
    clinicians = Resource(capacity=CLINICIANS)
    source = Referrals()
    activate(source, source.generate(triage, clinicians))
    simulate(until=YEAR_DAYS)
    seconds = time.process_time() - began
    mean_wait = stats["first_waits"] / max(stats["seen"], 1)
    print(f"simpy_s={seconds:.3f} referrals={stats['referrals']} visits={stats['visits']} "
          f"mean_wait_days={mean_wait:.5f}")


if __name__ == "__main__":
    main()
