# Reference values for the complement CI transformations of gvhdstats.checks.incidence:
# a cumulative incidence printed as 1 - KM with survfit's CI of S carried over
# (F = 1 - S, F_lower = 1 - S_upper, F_upper = 1 - S_lower; what
# plot(survfit(...), fun = "event") and summary(...) give).
# DO NOT EDIT the fixture by hand: run
#   Rscript --vanilla tests/reference/gen_complement.R [outdir]
# from the repository root (the output directory defaults to tests/reference).
# Writes complement_reference.json, with the R and package versions inside.
suppressPackageStartupMessages({
  library(survival)
  library(jsonlite)
})
args <- commandArgs(trailingOnly = TRUE)
out_dir <- if (length(args) >= 1) args[1] else "tests/reference"
dir.create(out_dir, showWarnings = FALSE, recursive = TRUE)

specs <- list(
  list(name = "lung-all", data = lung, f = Surv(time, status) ~ 1, times = c(90, 180, 270, 365)),
  list(name = "lung-female", data = lung[lung$sex == 2, ], f = Surv(time, status) ~ 1,
       times = c(90, 180, 365)),
  list(name = "veteran-all", data = veteran, f = Surv(time, status) ~ 1,
       times = c(15, 30, 60, 90)),
  list(name = "ovarian-all", data = ovarian, f = Surv(futime, fustat) ~ 1,
       times = c(200, 400, 600))
)
rows <- list()
for (sp in specs) {
  for (ct in c("log", "log-log", "plain")) {
    fit <- survfit(sp$f, data = sp$data, conf.type = ct)
    s <- summary(fit, times = sp$times)
    rows[[length(rows) + 1]] <- data.frame(
      data = sp$name, conf_type = ct, n = fit$n, time = s$time,
      surv = s$surv, surv_lower = s$lower, surv_upper = s$upper,
      event = 1 - s$surv, event_lower = 1 - s$upper, event_upper = 1 - s$lower)
  }
}
res <- list(
  versions = list(R = R.version.string,
                  survival = as.character(packageVersion("survival")),
                  jsonlite = as.character(packageVersion("jsonlite"))),
  rows = do.call(rbind, rows))
writeLines(toJSON(res, digits = NA, auto_unbox = TRUE, pretty = TRUE),
           file.path(out_dir, "complement_reference.json"))
