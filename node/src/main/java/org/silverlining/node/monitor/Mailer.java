package org.silverlining.node.monitor;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.Date;
import java.util.Properties;

/** Sends plain-text e-mail through the SMTP server of node.ini's {@code [smtp]} section. */
public final class Mailer {
  static final int TIMEOUT_MILLIS = 10_000;

  private final MonitorSettings.Smtp smtp;
  private final Session session;

  public Mailer(MonitorSettings.Smtp smtp) {
    this.smtp = smtp;
    Properties p = new Properties();
    p.put("mail.smtp.host", smtp.host());
    p.put("mail.smtp.port", Integer.toString(smtp.port()));
    p.put("mail.smtp.connectiontimeout", Integer.toString(TIMEOUT_MILLIS));
    p.put("mail.smtp.timeout", Integer.toString(TIMEOUT_MILLIS));
    p.put("mail.smtp.writetimeout", Integer.toString(TIMEOUT_MILLIS));
    p.put("mail.smtp.starttls.enable", Boolean.toString(smtp.starttls()));
    p.put("mail.smtp.auth", Boolean.toString(!smtp.user().isEmpty()));
    session = Session.getInstance(p);
  }

  /** Sends {@code body} to each address of {@code to} (comma or space separated). */
  public void send(String to, String subject, String body) throws MessagingException {
    MimeMessage m = new MimeMessage(session);
    m.setFrom(new InternetAddress(smtp.from()));
    m.setRecipients(Message.RecipientType.TO, InternetAddress.parse(to.replace(' ', ',')));
    m.setSubject(subject, "UTF-8");
    m.setText(body, "UTF-8");
    m.setSentDate(new Date());
    if (smtp.user().isEmpty()) {
      Transport.send(m);
    } else {
      Transport.send(m, smtp.user(), smtp.password());
    }
  }
}
