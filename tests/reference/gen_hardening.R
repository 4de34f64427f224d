# Reference values for the hardening tests of gvhdstats.methods (issue 9):
# Fine-Gray with censorings at time 0, monotone likelihood in crr and coxph, and the
# degenerate log-rank / cumulative-incidence cases.
#
# Run from the repository root:
#   Rscript --vanilla tests/reference/gen_hardening.R [output directory]
# Writes hardening_reference.json (data, results, R and package versions) to the output
# directory (default tests/reference).  DO NOT EDIT the JSON by hand: re-run this script.
#
# Contents
#   time0:      data sets with subjects censored at time 0 (some with events at time 0);
#               cmprsk::crr(gtol = 1e-12 or the tightest that converges) on the data as
#               given (crr evaluates the censoring survival at t * (1 - 100 eps), so at 0
#               itself for t = 0) and on the times shifted by +1 (then every G is a left
#               limit: the textbook G(0-) = 1 variant).
#   separation: data whose likelihood is monotone; crr's coef, converged flag and
#               summary.crr table, and coxph's coef, se, iterations and warning.
#   logrank:    survdiff where every event happens at one time (defined, and singular).
#   cuminc:     cmprsk::cuminc with no events at all, and with two groups and no events of
#               cause 1.

suppressPackageStartupMessages({
  library(cmprsk)
  library(survival)
  library(jsonlite)
})

args <- commandArgs(trailingOnly = TRUE)
out_dir <- if (length(args) >= 1) args[1] else file.path("tests", "reference")
dir.create(out_dir, showWarnings = FALSE, recursive = TRUE)

crr_fit <- function(time, status, x, failcode = 1, cencode = 0) {
  for (gtol in c(1e-12, 1e-11, 1e-10)) {
    fit <- crr(time, status, x, failcode = failcode, cencode = cencode, gtol = gtol,
               maxiter = 100)
    if (fit$converged) break
  }
  list(coef = unname(fit$coef), var = unname(fit$var), invinf = unname(fit$invinf),
       loglik = fit$loglik, converged = fit$converged, gtol = gtol,
       summary_coef = unname(summary(fit)$coef))
}

# ------------------------------------------------------------------ time-0 censorings
set.seed(20261202)
time0 <- list()
add_t0 <- function(name, time, status, x, failcode = 1, cencode = 0) {
  x <- as.matrix(x)
  colnames(x) <- paste0("x", seq_len(ncol(x)))
  time0[[length(time0) + 1]] <<- list(
    name = name, failcode = failcode, cencode = cencode, time = time, status = status,
    x = unname(lapply(seq_len(ncol(x)), function(j) x[, j])),
    n_censored_at_0 = sum(time == 0 & status == cencode),
    n_events_at_0 = sum(time == 0 & status != cencode),
    crr = crr_fit(time, status, x, failcode, cencode),
    crr_shifted = crr_fit(time + 1, status, x, failcode, cencode))
}
sim <- function(n, p0c, p0e, grid = 0.1, ncov = 1) {
  x <- matrix(rnorm(n * ncov), ncol = ncov)
  x[, 1] <- rbinom(n, 1, 0.5)
  t <- ceiling(rexp(n, 0.3 * exp(0.5 * x[, 1])) / grid) * grid  # > 0: zeros only below
  s <- sample(0:2, n, replace = TRUE, prob = c(0.3, 0.4, 0.3))
  k0 <- sample(n, round(n * (p0c + p0e)))
  t[k0] <- 0
  s[k0] <- c(rep(0L, round(n * p0c)), sample(1:2, length(k0) - round(n * p0c), TRUE))
  t <- round(t, 4)
  list(t = t, s = as.integer(s), x = round(x, 4))
}
d <- sim(60, 0.05, 0.05); add_t0("censored_and_events_at_0_n60", d$t, d$s, d$x)
d <- sim(80, 0.10, 0.00, grid = 1); add_t0("only_censorings_at_0_n80", d$t, d$s, d$x)
d <- sim(200, 0.05, 0.03, ncov = 2); add_t0("two_cov_n200", d$t, d$s, d$x)
d <- sim(150, 0.15, 0.05, grid = 1); add_t0("heavy_ties_n150", d$t, d$s, d$x)
d <- sim(120, 0.05, 0.05)
s <- ifelse(d$s == 0, 9L, ifelse(d$s == 1, 2L, 1L))
add_t0("codes_cause2_cens9_n120", d$t, s, d$x, failcode = 2, cencode = 9)

# ------------------------------------------------------------------ monotone likelihood
separation <- list()
add_sep <- function(name, time, status, x) {
  x <- as.matrix(x)
  colnames(x) <- paste0("x", seq_len(ncol(x)))
  fit <- crr(time, status, x)
  ev <- as.integer(status == 1)
  warn <- NULL
  cx <- withCallingHandlers(
    coxph(Surv(time, ev) ~ x),
    warning = function(w) {
      warn <<- conditionMessage(w)
      invokeRestart("muffleWarning")
    })
  separation[[length(separation) + 1]] <<- list(
    name = name, time = time, status = status,
    x = unname(lapply(seq_len(ncol(x)), function(j) x[, j])),
    crr = list(coef = unname(fit$coef), converged = fit$converged,
               summary_coef = unname(summary(fit)$coef)),
    coxph = list(coef = unname(coef(cx)), se = unname(sqrt(diag(vcov(cx)))),
                 iter = cx$iter, warning = warn))
}
# the example of issue 9: every event in the x = 1 group
add_sep("issue9_example", 1:12, rep(c(1L, 0L), 6), rep(c(1, 0), 6))
# a group without events of cause 1 (competing events and censorings only)
g <- rep(0:1, each = 30)
t <- round(runif(60, 1, 10), 2)
s <- sample(0:2, 60, replace = TRUE)
s[g == 1] <- sample(c(0L, 2L), 30, replace = TRUE)
add_sep("group_without_cause_events", t, as.integer(s), g)
# a continuous covariate ordering the cause-1 events perfectly, plus an ordinary one
n <- 40
t <- as.numeric(1:n)
s <- rep(c(1L, 2L, 0L, 1L), 10)
z <- rnorm(n)
x1 <- ifelse(s == 1, 5 - t / 10, -5 - t / 10)
add_sep("continuous_separation", t, s, cbind(round(x1, 4), round(z, 4)))

# ------------------------------------------------------------------ log-rank edges
lr <- function(name, time, event, group) {
  r <- tryCatch(survdiff(Surv(time, event) ~ group), error = function(e) e)
  if (inherits(r, "error")) {
    out <- list(error = conditionMessage(r))
  } else {
    out <- list(chisq = r$chisq, pvalue = pchisq(r$chisq, length(r$n) - 1, lower.tail = FALSE),
                observed = unname(r$obs), expected = unname(r$exp))
  }
  c(list(name = name, time = time, event = event, group = group), out)
}
logrank <- list(
  lr("one_event_time_with_survivors", c(5, 5, 5, 5, 6, 7, 8, 9), c(1, 1, 1, 1, 0, 0, 0, 0),
     c(1, 1, 2, 2, 1, 2, 1, 2)),
  lr("every_subject_dies_at_one_time", rep(5, 6), rep(1, 6), c(1, 1, 1, 2, 2, 2)),
  lr("one_event_time_then_censored", c(5, 5, 5, 5, 6, 6), c(1, 1, 1, 1, 0, 0),
     c(1, 1, 2, 2, 1, 2)))

# ------------------------------------------------------------------ cuminc edges
ci <- function(name, time, status, group) {
  r <- tryCatch(cuminc(time, status, group), error = function(e) e)
  if (inherits(r, "error")) {
    out <- list(error = conditionMessage(r))
  } else {
    out <- list(curves = names(r)[names(r) != "Tests"],
                tests_for_causes = rownames(r$Tests))
  }
  c(list(name = name, time = time, status = status, group = group), out)
}
cumincs <- list(
  ci("no_events_at_all", 1:6, rep(0, 6), c(1, 1, 1, 2, 2, 2)),
  ci("no_events_of_cause_1", 1:8, c(2, 0, 2, 0, 2, 0, 2, 0), c(1, 1, 1, 1, 2, 2, 2, 2)))

out <- list(
  generator = "tests/reference/gen_hardening.R",
  r_version = R.version.string,
  packages = list(cmprsk = as.character(packageVersion("cmprsk")),
                  survival = as.character(packageVersion("survival")),
                  jsonlite = as.character(packageVersion("jsonlite"))),
  time0 = time0, separation = separation, logrank = logrank, cuminc = cumincs)
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = FALSE, null = "null"),
           file.path(out_dir, "hardening_reference.json"))
