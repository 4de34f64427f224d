# Reference values for tests/test_incidence.py and tests/test_ratio.py.
# DO NOT EDIT the fixtures by hand: run `Rscript --vanilla tests/reference/gen_incidence.R`
# from the repository root (or give the output directory as the first argument).
# Writes incidence_reference.json (with the R and package versions inside).
suppressPackageStartupMessages({
  library(survival)
  library(cmprsk)
  library(jsonlite)
})
args <- commandArgs(trailingOnly = TRUE)
out_dir <- if (length(args) >= 1) args[1] else "tests/reference"
dir.create(out_dir, showWarnings = FALSE, recursive = TRUE)
z <- qnorm(0.975)

# 1. Kaplan-Meier CIs by conf.type (survival::lung, overall and by sex) at fixed times;
#    summary()$std.err is the SE of the survival probability itself
km <- list()
for (ct in c("plain", "log", "log-log", "logit", "arcsin")) {
  for (grp in c("all", "male", "female")) {
    d <- switch(grp, all = lung, male = lung[lung$sex == 1, ], female = lung[lung$sex == 2, ])
    fit <- survfit(Surv(time, status) ~ 1, data = d, conf.type = ct)
    s <- summary(fit, times = c(90, 180, 365, 540))
    km[[length(km) + 1]] <- data.frame(conf_type = ct, group = grp, n = nrow(d),
      time = s$time, surv = s$surv, lower = s$lower, upper = s$upper, std_err = s$std.err)
  }
}
km <- do.call(rbind, km)

# 2. Cumulative incidence (Aalen-Johansen, cmprsk::cuminc) on a fixed simulated data set,
#    with the usual log-log CI F^exp(+/- z sqrt(var) / (F log F)) built by hand
set.seed(20220307)
n <- 120
grp <- rep(c("a", "b"), each = n / 2)
t1 <- rexp(n, ifelse(grp == "a", 0.08, 0.14))
t2 <- rexp(n, 0.05)
cens <- runif(n, 2, 30)
time <- round(pmin(t1, t2, cens), 1)
cause <- ifelse(cens <= pmin(t1, t2), 0, ifelse(t1 < t2, 1, 2))
ci <- cuminc(time, cause, grp)
tp <- timepoints(ci, c(3, 6, 12))
cif <- list()
for (g in c("a", "b")) {
  nm <- paste(g, "1")
  for (k in seq_along(c(3, 6, 12))) {
    est <- tp$est[nm, k]; v <- tp$var[nm, k]
    se <- sqrt(v)
    cif[[length(cif) + 1]] <- data.frame(group = g, n = sum(grp == g), time = c(3, 6, 12)[k],
      est = est, se = se,
      lower = est^exp(-z * se / (est * log(est))), upper = est^exp(z * se / (est * log(est))))
  }
}
cif <- do.call(rbind, cif)
gray_p <- ci$Tests["1", "pv"]
crr_fit <- crr(time, cause, as.numeric(grp == "b"), failcode = 1, cencode = 0)
crr_s <- summary(crr_fit)
shr <- list(estimate = unname(exp(crr_fit$coef)), se_log = unname(sqrt(diag(crr_fit$var))),
            lower = unname(crr_s$conf.int[1, "2.5%"]), upper = unname(crr_s$conf.int[1, "97.5%"]),
            p_wald = unname(2 * pnorm(-abs(crr_fit$coef / sqrt(diag(crr_fit$var))))),
            p_gray = unname(gray_p),
            events = sum(cause == 1), n_a = sum(grp == "a"), n_b = sum(grp == "b"))

# 3. Cox model hazard ratios (Wald) and the log-rank P
cox <- list()
for (spec in list(list(name = "lung-sex", data = lung, f = Surv(time, status) ~ sex),
                  list(name = "veteran-trt", data = veteran, f = Surv(time, status) ~ trt),
                  list(name = "ovarian-rx", data = ovarian, f = Surv(futime, fustat) ~ rx))) {
  fit <- coxph(spec$f, data = spec$data)
  s <- summary(fit)
  lr <- survdiff(spec$f, data = spec$data)
  grp_var <- all.vars(spec$f)[3]
  tab <- table(spec$data[[grp_var]])
  cox[[length(cox) + 1]] <- data.frame(name = spec$name, estimate = s$conf.int[1, "exp(coef)"],
    lower = s$conf.int[1, "lower .95"], upper = s$conf.int[1, "upper .95"],
    se_log = s$coefficients[1, "se(coef)"], p_wald = s$coefficients[1, "Pr(>|z|)"],
    p_logrank = 1 - pchisq(lr$chisq, 1), events = fit$nevent,
    n_control = unname(tab[1]), n_treatment = unname(tab[2]))
}
cox <- do.call(rbind, cox)

# 4. Kaplan-Meier estimates of censored data sets (for attainability): small samples
km_small <- list()
set.seed(74325)
for (i in 1:40) {
  nn <- sample(8:36, 1)
  tt <- round(rexp(nn, 0.1), 0) + 1
  cc <- round(runif(nn, 1, 25), 0)
  st <- as.integer(tt <= cc)
  ob <- pmin(tt, cc)
  fit <- survfit(Surv(ob, st) ~ 1)
  s <- summary(fit, times = 12)
  km_small[[i]] <- data.frame(id = i, n = nn, surv = s$surv,
                              censored_before = sum(st == 0 & ob <= 12))
}
km_small <- do.call(rbind, km_small)

res <- list(
  r_version = R.version.string,
  packages = list(survival = as.character(packageVersion("survival")),
                  cmprsk = as.character(packageVersion("cmprsk")),
                  jsonlite = as.character(packageVersion("jsonlite"))),
  km = km, cif = cif, shr = shr, cox = cox, km_small = km_small)
writeLines(toJSON(res, digits = NA, auto_unbox = TRUE, pretty = TRUE),
           file.path(out_dir, "incidence_reference.json"))
