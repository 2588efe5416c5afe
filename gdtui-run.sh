#!/bin/sh
gdtui noisy-linear --optimizer gd --lr 0.1 --schedule constant --batch-size 8 --iterations 10000 --tol 1e-08 --seed 0 --standardize --start=0.0,0.0 "$@"
