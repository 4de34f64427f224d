# Reference values for gvhdstats.methods.finegray (Fine-Gray subdistribution hazards regression).
#
# Run from the repository root:
#   Rscript --vanilla tests/reference/gen_finegray.R
# Writes tests/reference/finegray_reference.json (data sets + results) and
# tests/reference/finegray_versions.txt (R and package versions).
#
# For every data set two fits are stored:
#   * cmprsk::crr(ftime, fstatus, cov1, failcode=, cencode=, gtol = 1e-12, maxiter = 100):
#     (gtol relaxed to 1e-11 or 1e-10 only where 1e-12 is below round-off)
#     coef, var (robust sandwich), invinf (model-based variance), inf (information),
#     loglik, loglik.null, converged, score, and summary.crr's table and 95% CI;
#   * survival::finegray() + coxph(Surv(fgstart, fgstop, fgstatus) ~ ., weights = fgwt,
#     ties = "breslow"): coef, naive (model-based) variance, loglik.
# Data are simulated here (set.seed) and rounded to 4 decimals so that they travel through
# JSON exactly; the data themselves are stored in the fixture.
# DO NOT EDIT the JSON by hand: re-run this script.

suppressPackageStartupMessages({
  library(cmprsk)
  library(survival)
  library(jsonlite)
})

args <- commandArgs(trailingOnly = TRUE)
out_dir <- if (length(args) >= 1) args[1] else file.path("tests", "reference")
dir.create(out_dir, showWarnings = FALSE, recursive = TRUE)

# Latent-failure simulation: cause-1 and competing times exponential with covariate effects,
# independent censoring.  `tie_grid` > 0 rounds times up to a grid (heavy ties).
simulate <- function(n, covs, beta1, beta2, rate1, rate2, cens_max, tie_grid = 0,
                     codes = c(cens = 0, cause = 1, other = 2)) {
  lp1 <- as.vector(covs %*% beta1)
  lp2 <- as.vector(covs %*% beta2)
  t1 <- rexp(n, rate1 * exp(lp1))
  t2 <- rexp(n, rate2 * exp(lp2))
  cc <- runif(n, 0, cens_max)
  time <- pmin(t1, t2, cc)
  status <- ifelse(cc <= pmin(t1, t2), codes[["cens"]],
                   ifelse(t1 <= t2, codes[["cause"]], codes[["other"]]))
  if (tie_grid > 0) {
    time <- ceiling(time / tie_grid) * tie_grid
  }
  list(time = round(time, 4), status = as.integer(status), x = round(covs, 4))
}

binary <- function(n, p = 0.5) matrix(rbinom(n, 1, p), ncol = 1)

set.seed(20240611)
specs <- list()
add <- function(name, d, failcode = 1, cencode = 0, colnames = NULL) {
  x <- d$x
  if (is.null(colnames)) colnames <- paste0("x", seq_len(ncol(x)))
  colnames(x) <- colnames
  d$x <- x
  specs[[length(specs) + 1]] <<- list(name = name, data = d, failcode = failcode,
                                      cencode = cencode)
}

# 1. one binary group, continuous times
x <- binary(200)
add("binary_n200", simulate(200, x, 0.7, -0.3, 0.3, 0.2, 6), colnames = "group")
# 2. binary + continuous
x <- cbind(binary(300), rnorm(300))
add("binary_cont_n300", simulate(300, x, c(-0.5, 0.4), c(0.3, 0), 0.25, 0.25, 8),
    colnames = c("group", "age"))
# 3. three covariates
x <- cbind(binary(500, 0.4), rnorm(500), runif(500, -1, 1))
add("three_cov_n500", simulate(500, x, c(0.6, -0.4, 0.8), c(-0.2, 0.3, 0), 0.2, 0.3, 7))
# 4. heavy ties: integer times 1..~20
x <- cbind(binary(300), rnorm(300))
add("heavy_ties_n300", simulate(300, x, c(0.5, 0.3), c(-0.4, 0), 0.15, 0.1, 25, tie_grid = 1))
# 5. small n = 30, binary group
x <- binary(30)
add("small_n30", simulate(30, x, 0.9, 0, 0.3, 0.2, 6), colnames = "group")
# 6. small n = 30 with ties, two covariates
x <- cbind(binary(30), rnorm(30))
add("small_ties_n30", simulate(30, x, c(0.4, 0.5), c(0, -0.3), 0.3, 0.3, 6, tie_grid = 0.5))
# 7. n = 2000, two continuous covariates
x <- cbind(rnorm(2000), rnorm(2000, 50, 10))
add("large_n2000", simulate(2000, x, c(0.3, 0.02), c(-0.2, 0), 0.1, 0.1, 15))
# 8. competing events dominate (~70 % competing)
x <- cbind(binary(400), rnorm(400))
add("competing_dominant_n400", simulate(400, x, c(0.5, -0.3), c(0.2, 0.2), 0.05, 0.5, 10))
# 9. heavy censoring with ties
x <- cbind(binary(400), rnorm(400))
add("heavy_censoring_ties_n400",
    simulate(400, x, c(-0.6, 0.2), c(0, 0), 0.08, 0.08, 4, tie_grid = 0.25))
# 10. other codes: cause of interest 2, competing 1, censored 9
x <- cbind(binary(250), rnorm(250))
add("codes_cause2_cens9_n250",
    simulate(250, x, c(0.5, -0.2), c(0, 0.3), 0.2, 0.2, 8,
             codes = c(cens = 9, cause = 2, other = 1)),
    failcode = 2, cencode = 9)
# 11. very coarse times: events, competing events and censorings tie at the same times
x <- cbind(binary(150), rnorm(150))
add("coarse_ties_n150", simulate(150, x, c(0.7, 0.2), c(-0.3, 0.1), 0.2, 0.2, 8, tie_grid = 2))
# 12. n = 2000 with ties, three covariates
x <- cbind(binary(2000), rnorm(2000), rbinom(2000, 3, 0.3))
add("large_ties_n2000",
    simulate(2000, x, c(0.4, -0.2, 0.3), c(0.1, 0.2, 0), 0.1, 0.15, 12, tie_grid = 0.1))
# 13. three competing-event codes (2 and 3 both compete with cause 1)
x <- cbind(binary(300), rnorm(300))
d <- simulate(300, x, c(0.5, 0.1), c(0.2, -0.2), 0.2, 0.3, 8)
other <- which(d$status == 2)
d$status[other[seq(1, length(other), by = 2)]] <- 3L
add("two_competing_codes_n300", d)

fit_one <- function(s) {
  d <- s$data
  x <- d$x
  # the tightest gtol at which crr reports convergence (1e-12 can be below round-off)
  for (gtol in c(1e-12, 1e-11, 1e-10)) {
    fit <- crr(d$time, d$status, x, failcode = s$failcode, cencode = s$cencode,
               gtol = gtol, maxiter = 100)
    if (fit$converged) break
  }
  # survival::finegray + weighted Cox model with Breslow ties
  df <- data.frame(time = d$time,
                   ev = factor(ifelse(d$status == s$cencode, "censor",
                                      ifelse(d$status == s$failcode, "cause", "other")),
                               levels = c("censor", "cause", "other")),
                   x)
  fg <- finegray(Surv(time, ev) ~ ., data = df, etype = "cause")
  form <- as.formula(paste("Surv(fgstart, fgstop, fgstatus) ~",
                           paste(colnames(x), collapse = " + ")))
  cx <- coxph(form, data = fg, weight = fgwt, ties = "breslow",
              control = coxph.control(eps = 1e-12, iter.max = 100, toler.chol = 1e-14))
  list(
    name = s$name,
    failcode = s$failcode,
    cencode = s$cencode,
    names = colnames(x),
    time = d$time,
    status = d$status,
    x = unname(lapply(seq_len(ncol(x)), function(j) x[, j])),
    counts = as.list(table(factor(d$status))),
    crr = list(
      coef = unname(fit$coef),
      var = unname(fit$var),
      invinf = unname(fit$invinf),
      inf = unname(fit$inf),
      loglik = fit$loglik,
      loglik_null = fit$loglik.null,
      score = unname(fit$score),
      converged = fit$converged,
      gtol = gtol,
      # summary.crr: coef, exp(coef), se(coef), z, p-value (robust variance) and 95% CI
      summary_coef = unname(summary(fit)$coef),
      summary_conf_int = unname(summary(fit, conf.int = 0.95)$conf.int[, 3:4, drop = FALSE]),
      # summary.crr rounds its p-value column to 2 significant digits; the unrounded value:
      pvalue = unname(2 * pnorm(-abs(fit$coef / sqrt(diag(fit$var)))))
    ),
    finegray_coxph = list(
      coef = unname(coef(cx)),
      var_naive = unname(cx$naive.var %||% cx$var),
      loglik = cx$loglik[2]
    )
  )
}

`%||%` <- function(a, b) if (is.null(a)) b else a

results <- lapply(specs, fit_one)

out <- list(
  generator = "tests/reference/gen_finegray.R",
  r_version = R.version.string,
  packages = list(
    cmprsk = as.character(packageVersion("cmprsk")),
    survival = as.character(packageVersion("survival")),
    jsonlite = as.character(packageVersion("jsonlite"))
  ),
  datasets = results
)
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = FALSE, matrix = "rowmajor"),
           file.path(out_dir, "finegray_reference.json"))
writeLines(c(R.version.string,
             paste("cmprsk", packageVersion("cmprsk")),
             paste("survival", packageVersion("survival")),
             paste("jsonlite", packageVersion("jsonlite"))),
           file.path(out_dir, "finegray_versions.txt"))
for (r in results) {
  cat(sprintf("%-28s n=%4d converged=%s crr=%s fg=%s\n", r$name, length(r$time),
              r$crr$converged, paste(signif(r$crr$coef, 6), collapse = ","),
              paste(signif(r$finegray_coxph$coef, 6), collapse = ",")))
}
